//! The static description of a tool: what every transport lists and checks.

use crate::caller::Persona;

/// A tool's identity and policy, defined once next to its handler.
#[derive(Debug, Clone, Copy)]
pub struct ToolSpec {
    /// The tool name (the original recipe's name), e.g. `check_in_guest`. REST serves it at
    /// `POST /api/<name with dashes>`; MCP lists it under this name.
    pub name: &'static str,
    /// What the tool does, written for an agent choosing a tool.
    pub description: &'static str,
    /// The personas that may call it.
    pub personas: &'static [Persona],
    /// What its Lambda function needs: memory, timeout, and the backends beyond Salesforce.
    pub deployment: Deployment,
    /// What a call changes: nothing, or records, and then what makes two calls one operation.
    pub effect: Effect,
    /// Whether it reaches beyond the hub's own records: a payment, a text message.
    pub open_world: bool,
    /// How a guest caller is scoped to their own records, if guests may call it.
    pub guest_scope: Option<GuestScope>,
    /// For a second name of a tool, kept because the original's recipes had both: the first name.
    /// REST serves both names, each with its own function; MCP lists only the first, since an
    /// agent choosing a tool gains nothing from seeing it twice.
    pub alias_of: Option<&'static str>,
}

/// What a call of a tool changes. A read has no idempotency key and a write always has one, so
/// every side-effecting call goes through the idempotency layer (see `dispatch`) and no read-only
/// tool carries a key nobody reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Changes nothing: runs every time.
    ReadOnly,
    /// Changes records.
    Writes(Write),
}

/// A side-effecting tool's policy: its idempotency key and its hints to MCP clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Write {
    /// What makes two calls "the same operation" for the idempotency layer. The fields it names
    /// are checked against the tool's input schema by a test over every tool.
    pub key: KeyFrom,
    /// It may overwrite or remove data (MCP's `destructiveHint`).
    pub destructive: bool,
    /// The same call again has no further effect (MCP's `idempotentHint`).
    pub idempotent: bool,
    /// It charges a card or refunds a payment: over MCP a person confirms it first
    /// ([`crate::Context::confirm`], docs/confirmations.md).
    pub moves_money: bool,
}

impl Effect {
    /// A write that adds something (a record, a request, a payment) and overwrites nothing; the
    /// same call again changes nothing more.
    pub const fn adds(key: KeyFrom) -> Effect {
        Effect::Writes(Write {
            key,
            destructive: false,
            idempotent: true,
            moves_money: false,
        })
    }

    /// A write that overwrites fields or moves a record on (an update, an upsert, a refund); the
    /// same call again changes nothing more.
    pub const fn overwrites(key: KeyFrom) -> Effect {
        Effect::Writes(Write {
            key,
            destructive: true,
            idempotent: true,
            moves_money: false,
        })
    }

    /// The same write, charging a card or refunding a payment.
    pub const fn moving_money(self) -> Effect {
        match self {
            Effect::Writes(write) => Effect::Writes(Write {
                moves_money: true,
                ..write
            }),
            Effect::ReadOnly => Effect::ReadOnly,
        }
    }

    /// Whether it charges a card or refunds a payment.
    pub const fn moves_money(self) -> bool {
        matches!(
            self,
            Effect::Writes(Write {
                moves_money: true,
                ..
            })
        )
    }

    /// The write's idempotency key; `None` for a read.
    pub const fn key(self) -> Option<KeyFrom> {
        match self {
            Effect::ReadOnly => None,
            Effect::Writes(write) => Some(write.key),
        }
    }

    /// Whether it changes nothing.
    pub const fn is_read_only(self) -> bool {
        matches!(self, Effect::ReadOnly)
    }
}

/// What a tool's Lambda function needs beyond the code: `template.yaml`'s function for the tool is
/// generated from it, so the deployed permissions follow the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deployment {
    /// Memory in MB.
    pub memory_mb: u32,
    /// Timeout in seconds: the tool's deadline.
    pub timeout_secs: u32,
    /// Whether the function holds the Stripe secret.
    pub stripe: bool,
    /// Whether the function queues texts (the SMS queue, and the on-call number).
    pub texts: bool,
    /// Whether the function reaches Home Assistant (its URL and the token's secret).
    pub home_assistant: bool,
}

impl Deployment {
    /// The same, holding the Stripe secret.
    pub const fn with_stripe(self) -> Self {
        Deployment { stripe: true, ..self }
    }

    /// The same, allowed to queue texts.
    pub const fn texting(self) -> Self {
        Deployment { texts: true, ..self }
    }

    /// The same, holding Home Assistant's token.
    pub const fn with_home_assistant(self) -> Self {
        Deployment {
            home_assistant: true,
            ..self
        }
    }
}

/// Where a side-effecting tool's idempotency key comes from (docs/idempotency.md). The key names
/// the operation; the whole input (defaults resolved) is its payload, so the same key sent with a
/// different request is refused with `422 IDEMPOTENCY_KEY_REUSED` instead of being replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFrom {
    /// The client's token field (e.g. `idempotency_token`), scoped to the caller so that two
    /// callers choosing the same token never collide. Without a token, the whole input is the key.
    Token(&'static str),
    /// The fields that identify the operation, whoever asks: check-in is one guest, one date, one
    /// booking, so a guest's own retry and a receptionist's click are one operation.
    Fields(&'static [&'static str]),
    /// The whole input: only an identical request is a repeat.
    Input,
}

impl KeyFrom {
    /// How long a success is replayed to repeats. A client's token names one operation for as long
    /// as the client keeps it (Powertools' default hour). A key derived from content cannot tell a
    /// retry from a later, deliberate request with the same content ("Maintenance" again after
    /// someone set "Vacant"), so it is replayed only for as long as retries come: minutes.
    pub fn replay_window(self) -> std::time::Duration {
        match self {
            KeyFrom::Token(_) => dewy_idempotency::DEFAULT_TTL,
            KeyFrom::Fields(_) | KeyFrom::Input => DERIVED_KEY_WINDOW,
        }
    }
}

/// The replay window of keys derived from content (see [`KeyFrom::replay_window`]).
pub const DERIVED_KEY_WINDOW: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// MCP tool annotations (hints, not guarantees), derived from a spec's [`Effect`] and
/// `open_world` by [`ToolSpec::annotations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations {
    /// The tool changes nothing.
    pub read_only: bool,
    /// The tool may destroy or overwrite data (meaningful only when not read-only).
    pub destructive: bool,
    /// Calling again with the same input has no further effect.
    pub idempotent: bool,
    /// The tool reaches systems outside this hub's own records (e.g. payments, SMS).
    pub open_world: bool,
}

/// A guest acts only on their own records: the input field that names the guest must be the email in
/// the guest's token. The guest's schema omits the field; the invoke path fills it from the token and
/// refuses any other value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuestScope {
    /// The input field holding the guest's email, e.g. `guest_email`.
    pub email_field: &'static str,
}

impl ToolSpec {
    /// The hints MCP lists for the tool.
    pub const fn annotations(&self) -> Annotations {
        let (read_only, destructive, idempotent) = match self.effect {
            Effect::ReadOnly => (true, false, true),
            Effect::Writes(write) => (false, write.destructive, write.idempotent),
        };
        Annotations {
            read_only,
            destructive,
            idempotent,
            open_world: self.open_world,
        }
    }

    /// What its calls count as for the per-user rate limits ([`crate::rate`]): a read-only tool is a
    /// read (a payment-status read too), a write to Stripe (a charge, a refund, a PaymentIntent or
    /// its confirmation, a customer) is a payment, and any other write a write. The functions that
    /// write to Stripe are exactly the writes whose deployment holds the Stripe secret.
    pub const fn rate_class(&self) -> crate::rate::RateClass {
        use crate::rate::RateClass;
        match self.effect {
            Effect::ReadOnly => RateClass::Reads,
            Effect::Writes(_) if self.deployment.stripe => RateClass::Payments,
            Effect::Writes(_) => RateClass::Writes,
        }
    }

    /// The REST path, `/api/<kebab-name>` (the original's routes: `/api/check-in-guest`).
    pub fn rest_path(&self) -> String {
        format!("/api/{}", self.name.replace('_', "-"))
    }

    /// Whether a caller with `personas` may use this tool.
    pub fn allows(&self, personas: &[Persona]) -> bool {
        personas.iter().any(|p| self.personas.contains(p))
    }

    /// The input field a caller with `personas` does not give, because the invoke path takes it
    /// from their token: a guest-only caller's own email (see [`GuestScope`]). The one rule for the
    /// invoke path, the schema that caller is shown and the calls an error suggests to them.
    pub fn field_from_token(&self, personas: &[Persona]) -> Option<&'static str> {
        let scope = self.guest_scope.filter(|_| crate::caller::guest_only(personas))?;
        Some(scope.email_field)
    }
}
