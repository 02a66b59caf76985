//! The search orchestrators for guests and staff, and the web app's search endpoints.
