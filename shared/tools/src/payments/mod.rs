//! The Stripe atomic skills (recipes.md §1.2): single payment operations for managers.
