//! Case and contact orchestrators: service and maintenance requests, case management, contacts.
