//! Booking orchestrators: create a booking, change a booking (recipes.md §1.1).
