//! Checkout with payment, and its compensation (recipes.md §1.1).
