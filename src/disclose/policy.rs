//! The public-disclosure policy (`[disclosure]` of a profile): what public
//! versions leave out or mask. Defined here, beside the step that applies
//! it; [`crate::profile`] re-exports it as one of its sections.

use serde::Deserialize;

/// The public-disclosure policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "DisclosureRepr")]
pub struct Disclosure {
    /// Mask personal data (the kinds in `mask`) in every output.
    pub mask_personal_data: bool,
    /// Which kinds of personal data to mask.
    pub mask: Vec<PersonalData>,
    /// What happens to rows, columns, sheets and Word text hidden in the
    /// source: left out of the public outputs (the default) or kept.
    pub hidden: HiddenPolicy,
    /// Internal columns left out of the public outputs: a column whose
    /// header (any level) is one of these names, compared without spaces
    /// and with full-width brackets read as half-width (TOML key
    /// `internal_columns`, formerly `drop_columns`).
    pub internal_columns: Vec<String>,
    /// A column whose header (any level) contains one of these is internal
    /// too (内部 catches 内部备注, 内部说明, 备注（内部） …).
    pub internal_if_contains: Vec<String>,
}

/// The usual names of internal columns in finance offices' workbooks.
pub const INTERNAL_COLUMNS: &[&str] = &[
    "内部备注",
    "备注（内部）",
    "测算",
    "测算过程",
    "校验",
    "校验列",
    "校验结果",
    "辅助列",
    "审核意见",
];

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure {
            mask_personal_data: true,
            mask: PersonalData::ALL.to_vec(),
            hidden: HiddenPolicy::Omit,
            internal_columns: INTERNAL_COLUMNS.iter().map(|s| s.to_string()).collect(),
            internal_if_contains: vec!["内部".to_string()],
        }
    }
}

impl Disclosure {
    /// The policy with hidden content kept (`--keep-hidden`, for archives).
    pub fn with_hidden(mut self, hidden: HiddenPolicy) -> Self {
        self.hidden = hidden;
        self
    }

    /// Whether hidden content is left out.
    pub fn omits_hidden(&self) -> bool {
        self.hidden == HiddenPolicy::Omit
    }

    /// Whether a column with this header path is internal by the policy.
    pub fn is_internal_column(&self, path: &[String]) -> bool {
        let norm = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match c {
                    '（' => '(',
                    '）' => ')',
                    '【' | '［' => '[',
                    '】' | '］' => ']',
                    c => c,
                })
                .collect()
        };
        path.iter().any(|p| {
            let p = norm(p);
            !p.is_empty()
                && (self.internal_columns.iter().any(|n| norm(n) == p)
                    || self
                        .internal_if_contains
                        .iter()
                        .any(|n| !n.is_empty() && p.contains(&norm(n))))
        })
    }
}

/// What public outputs do with content hidden in the source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HiddenPolicy {
    /// Hidden rows, columns, sheets and Word text are left out, and the
    /// run reports where and how many.
    #[default]
    Omit,
    /// Everything is kept (an archive copy); the JSON keeps the `hidden`
    /// flags.
    Keep,
}

/// The TOML form of [`Disclosure`]: the keys of older profiles are read
/// and turned into the current ones or refused with the replacement named.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DisclosureRepr {
    mask_personal_data: bool,
    mask: Vec<PersonalData>,
    hidden: Option<HiddenPolicy>,
    #[serde(alias = "drop_columns")]
    internal_columns: Vec<String>,
    internal_if_contains: Vec<String>,
    drop_hidden_rows: Option<bool>,
    drop_hidden_columns: Option<bool>,
}

impl Default for DisclosureRepr {
    fn default() -> Self {
        let d = Disclosure::default();
        DisclosureRepr {
            mask_personal_data: d.mask_personal_data,
            mask: d.mask,
            hidden: None,
            internal_columns: d.internal_columns,
            internal_if_contains: d.internal_if_contains,
            drop_hidden_rows: None,
            drop_hidden_columns: None,
        }
    }
}

impl TryFrom<DisclosureRepr> for Disclosure {
    type Error = String;
    fn try_from(r: DisclosureRepr) -> Result<Disclosure, String> {
        // drop_hidden_rows/drop_hidden_columns = true asked for what is now
        // the default; false kept hidden content, which is now asked for
        // by name only, so an old profile never publishes it silently.
        for (key, v) in [
            ("drop_hidden_rows", r.drop_hidden_rows),
            ("drop_hidden_columns", r.drop_hidden_columns),
        ] {
            match (v, r.hidden) {
                (Some(false), _) => {
                    return Err(format!(
                        "disclosure.{key} = false: this key was replaced by disclosure.hidden; \
                         write hidden = \"keep\" to keep hidden rows, columns and sheets in the \
                         outputs (archives only), or remove the key to leave them out"
                    ));
                }
                (Some(true), Some(HiddenPolicy::Keep)) => {
                    return Err(format!(
                        "disclosure.{key} = true contradicts disclosure.hidden = \"keep\"; \
                         remove {key} (it was replaced by hidden)"
                    ));
                }
                _ => {}
            }
        }
        Ok(Disclosure {
            mask_personal_data: r.mask_personal_data,
            mask: r.mask,
            hidden: r.hidden.unwrap_or_default(),
            internal_columns: r.internal_columns,
            internal_if_contains: r.internal_if_contains,
        })
    }
}

/// Kinds of personal data the disclosure policy masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersonalData {
    /// Mainland resident ID numbers (18 characters, birth date, check digit).
    IdNumber,
    /// Reported only: an ID-shaped number whose check digit does not match
    /// (masked all the same under `IdNumber`).
    #[serde(skip)]
    IdNumberBadCheck,
    /// Mainland mobile numbers (11 digits, 1[3-9]…).
    Mobile,
    /// E-mail addresses.
    Email,
    /// Bank card numbers (16–19 digits passing the Luhn check).
    BankCard,
}

impl PersonalData {
    /// Every kind.
    pub const ALL: [PersonalData; 4] = [
        PersonalData::IdNumber,
        PersonalData::Mobile,
        PersonalData::Email,
        PersonalData::BankCard,
    ];

    /// How reports name the kind.
    pub fn describe(self) -> &'static str {
        match self {
            PersonalData::IdNumber => "an ID number",
            PersonalData::IdNumberBadCheck => "an ID number (its check digit does not match)",
            PersonalData::Mobile => "a mobile number",
            PersonalData::Email => "an e-mail address",
            PersonalData::BankCard => "a bank card number",
        }
    }
}
