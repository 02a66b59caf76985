//! A sandbox's public handle: [`Handle`] and the [`sandbox_handle!`](crate::sandbox_handle) macro
//! giving it the knob methods every sandbox has.

use crate::Server;

/// A sandbox's public handle, built around a running [`Server`]; implemented by
/// [`sandbox_handle!`](crate::sandbox_handle). The standalone binaries' [`Cli::run`](crate::cli::Cli::run)
/// drives a sandbox through it.
pub trait Handle {
    /// The running server.
    fn server(&self) -> &Server;

    /// The running server, the rest of the handle dropped (to shut it down).
    fn into_server(self) -> Server;
}

/// Gives a sandbox handle type the methods every sandbox has, as inherent methods (so its users need
/// no trait in scope): `start` (the handle's own `start_on(addr, config)` on an ephemeral loopback
/// port), and `base_url`, `set_latency`, `add_fault`, `clear_faults`, `request_count`,
/// `request_log`, `reset_stats` and `shutdown`, each delegating to the [`Server`] in the named
/// field; [`Handle`]; and a compile-time check that the handle is `Send + Sync + 'static`.
///
/// The handle type must not implement `Drop` (the server does: dropping the handle stops it).
///
/// ```
/// use std::net::SocketAddr;
/// use dewy_sandbox_kit::Server;
///
/// /// A sandbox's handle.
/// #[derive(Debug)]
/// pub struct MySandbox {
///     server: Server,
/// }
///
/// /// Its configuration.
/// pub struct MyConfig;
///
/// dewy_sandbox_kit::sandbox_handle!(MySandbox, server, MyConfig);
///
/// impl MySandbox {
///     /// Starts it on `addr`.
///     pub async fn start_on(addr: SocketAddr, config: MyConfig) -> std::io::Result<MySandbox> {
///         # let _ = (addr, config);
///         todo!()
///     }
/// }
/// ```
#[macro_export]
macro_rules! sandbox_handle {
    ($handle:ty, $server:ident, $config:ty) => {
        impl $handle {
            /// Starts a sandbox on `127.0.0.1` with an ephemeral port.
            ///
            /// The server runs on the calling tokio runtime and stops with it (or when the handle
            /// is dropped), so a sandbox shared between tests must live on a runtime that outlives
            /// them.
            ///
            /// # Errors
            /// As `start_on`'s.
            pub async fn start(config: $config) -> ::std::io::Result<Self> {
                let loopback = ::std::net::SocketAddr::from((::std::net::Ipv4Addr::LOCALHOST, 0));
                Self::start_on(loopback, config).await
            }

            /// `http://127.0.0.1:PORT`, no trailing slash: the base URL clients are pointed at.
            pub fn base_url(&self) -> String {
                self.$server.base_url().to_owned()
            }

            /// Sets (or with `None` clears) the latency added to every API request.
            pub fn set_latency(&self, latency: Option<$crate::Latency>) {
                self.$server.controls().set_latency(latency);
            }

            /// Adds a fault rule; rules are tried in the order they were added.
            pub fn add_fault(&self, rule: $crate::FaultRule) {
                self.$server.controls().add_fault(rule);
            }

            /// Removes every fault rule.
            pub fn clear_faults(&self) {
                self.$server.controls().clear_faults();
            }

            /// API requests received since start or the last reset (admin requests excluded).
            pub fn request_count(&self) -> u64 {
                self.$server.controls().request_count()
            }

            /// The API requests received, oldest first.
            pub fn request_log(&self) -> ::std::vec::Vec<$crate::LoggedRequest> {
                self.$server.controls().request_log()
            }

            /// Clears the request counter and log.
            pub fn reset_stats(&self) {
                self.$server.controls().reset_stats();
            }

            /// Stops accepting, lets open connections finish (up to 5 s) and returns when the
            /// server has stopped. Held (timeout-fault) requests are released at once.
            pub async fn shutdown(self) {
                self.$server.shutdown().await;
            }
        }

        // The handle is shared between tasks and tests: a compile-time check that it can be.
        const _: () = {
            const fn assert_send_sync<T: Send + Sync + 'static>() {}
            assert_send_sync::<$handle>();
        };

        impl $crate::Handle for $handle {
            fn server(&self) -> &$crate::Server {
                &self.$server
            }

            fn into_server(self) -> $crate::Server {
                self.$server
            }
        }
    };
}
