//! What a check reports: a [`Finding`] with its rule id, severity, place
//! and both values, and the list of [`RULES`] with their default severity.

use crate::model::Warning;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is. `--strict` fails on errors, `--strict=warning`
/// also on warnings, `--strict=notice` on everything.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; often right (a heuristic).
    Notice,
    /// Probably wrong.
    #[default]
    Warning,
    /// Wrong: the published numbers contradict each other.
    Error,
}

impl Severity {
    /// "error", "warning" or "notice".
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" | "errors" => Ok(Severity::Error),
            "warning" | "warnings" => Ok(Severity::Warning),
            "notice" | "notices" => Ok(Severity::Notice),
            other => Err(format!(
                "'{other}' is not a severity (error, warning or notice)"
            )),
        }
    }
}

/// Where a finding is. Every part is optional; the text form joins the
/// parts that are known: `file x.xlsx, sheet '三公', table 7 '…', row '合计'
/// (source row 5), column '合计'` or `chapter '编制说明', paragraph 3,
/// character 12`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The file (relative to the book's folder in a book).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The sheet of a workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The page of a paged source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The table: "table 3 '部门支出总表'" (or two tables for a cross check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The row's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// The row's number in the source file (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_row: Option<u32>,
    /// The column's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The chapter's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
    /// The paragraph (or list item, or heading) in the chapter, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
    /// The character offset in the paragraph (0-based, in characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
}

impl Place {
    /// A place in a table.
    pub fn table(name: &str) -> Place {
        Place {
            table: Some(name.to_string()),
            ..Place::default()
        }
    }

    /// A place in a chapter's paragraph.
    pub fn text(chapter: &str, file: &str, paragraph: usize, offset: usize) -> Place {
        Place {
            file: (!file.is_empty()).then(|| file.to_string()),
            chapter: Some(chapter.to_string()),
            paragraph: Some(paragraph),
            offset: Some(offset),
            ..Place::default()
        }
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Place::default()
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(x) = &self.file {
            parts.push(format!("file {x}"));
        }
        if let Some(x) = &self.sheet {
            parts.push(format!("sheet '{x}'"));
        }
        if let Some(x) = self.page {
            parts.push(format!("page {x}"));
        }
        if let Some(x) = &self.table {
            parts.push(x.clone());
        }
        match (&self.row, self.source_row) {
            (Some(r), Some(n)) => parts.push(format!("row '{r}' (source row {n})")),
            (Some(r), None) => parts.push(format!("row '{r}'")),
            (None, Some(n)) => parts.push(format!("source row {n}")),
            (None, None) => {}
        }
        if let Some(x) = &self.column {
            parts.push(format!("column '{x}'"));
        }
        if let Some(x) = &self.chapter {
            parts.push(format!("chapter '{x}'"));
        }
        if let Some(x) = self.paragraph {
            parts.push(format!("paragraph {x}"));
        }
        if let Some(x) = self.offset {
            parts.push(format!("character {x}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's id (see [`RULES`]), e.g. "sum.row".
    pub rule: String,
    /// How bad it is (the rule's default, or the profile's choice).
    pub severity: Severity,
    /// Where.
    pub place: Place,
    /// What, in words, with both values.
    pub message: String,
    /// The value found where the finding is (as written, with its unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// The value it should agree with (and where that is, when elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

impl Finding {
    /// A finding of `rule` at its default severity.
    pub fn new(rule: &str, place: Place, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity: default_severity(rule),
            place,
            message: message.into(),
            found: None,
            expected: None,
        }
    }

    /// With the two values compared.
    pub fn values(mut self, found: impl Into<String>, expected: impl Into<String>) -> Finding {
        self.found = Some(found.into());
        self.expected = Some(expected.into());
        self
    }

    /// As a plain warning (for reports that carry warnings: the batch
    /// manifest, the book's list): the rule id is the code, the severity
    /// leads the message.
    pub fn to_warning(&self) -> Warning {
        Warning::new(
            &self.rule,
            (!self.place.is_empty()).then(|| self.place.to_string()),
            format!("{}: {}", self.severity, self.message),
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// A rule: its id, its default severity and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The id findings carry and profiles name.
    pub id: &'static str,
    /// Severity unless the profile changes it.
    pub severity: Severity,
    /// What it checks, in one line.
    pub what: &'static str,
}

const fn rule(id: &'static str, severity: Severity, what: &'static str) -> Rule {
    Rule { id, severity, what }
}

/// Every rule, by family. README lists the same.
pub const RULES: &[Rule] = &[
    rule(
        "sum.row",
        Severity::Error,
        "a 合计/小计 column equals the sum of the columns it totals",
    ),
    rule(
        "sum.column",
        Severity::Error,
        "a total row equals the sum of its rows; a row with children the sum of its children",
    ),
    rule(
        "sum.rounding",
        Severity::Warning,
        "a sum.row, sum.column or identity.* difference no larger than the rounding of its figures, in a table in 千元, 万元 or 亿元 (each figure rounded on its own)",
    ),
    rule(
        "indicator.level",
        Severity::Warning,
        "a level-2 performance indicator code extends its level-1 code",
    ),
    rule(
        "indicator.code",
        Severity::Warning,
        "one indicator code carries one name in a table",
    ),
    rule(
        "table.empty-without-note",
        Severity::Warning,
        "an empty table has a note saying why (本部门无…，故本表为空表)",
    ),
    rule(
        "identity.sangong",
        Severity::Error,
        "“三公”经费 合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
    ),
    rule(
        "identity.sangong-car",
        Severity::Error,
        "公务用车购置及运行费 = 公务用车购置费 + 公务用车运行费",
    ),
    rule(
        "identity.basic",
        Severity::Error,
        "基本支出 = 人员经费 + 公用经费",
    ),
    rule(
        "cross.total",
        Severity::Error,
        "a total shared by two tables (收支总表, 收入/支出总表, 财政拨款收支总表, 一般公共预算支出表, 基本支出表) agrees, after converting units",
    ),
    rule(
        "cross.unit",
        Severity::Error,
        "two tables agree on a total only if one of their 单位 lines is wrong (a factor of 10,000)",
    ),
    rule(
        "complete.table",
        Severity::Error,
        "every table the profile requires is in the disclosure",
    ),
    rule(
        "complete.empty-statement",
        Severity::Warning,
        "a conditional table (政府性基金, 国有资本经营) that is missing or empty is explained by an empty-table statement",
    ),
    rule(
        "complete.chapter",
        Severity::Warning,
        "every chapter the profile requires (编制说明, 三公 explanation, 绩效目标) is in the disclosure",
    ),
    rule(
        "year.mismatch",
        Severity::Warning,
        "table titles and the prose speak of the budget year, and a comparison in the prose (比/较/与 2024年) names an earlier one",
    ),
    rule(
        "unit.magnitude",
        Severity::Notice,
        "a table's amounts are plausible for its 单位 line (a department's 万元 table in the millions is probably in 元)",
    ),
    rule(
        "text.amount",
        Severity::Error,
        "an amount in the prose equals the table cell it names (within rounding in the stated unit)",
    ),
    rule(
        "text.percent",
        Severity::Error,
        "a percentage in the prose (a share 占…%, a completion 完成预算的…%, a change 增长/下降…%) is what its figures give, within their rounding",
    ),
    rule(
        "text.unit-slip",
        Severity::Error,
        "an amount in the prose is the named cell's amount in the wrong unit (万元 written as 元)",
    ),
    rule(
        "text.repeated",
        Severity::Warning,
        "a paragraph or list item is not printed twice in a chapter",
    ),
    rule(
        "text.numbering",
        Severity::Warning,
        "numbered paragraphs (1. 2. 3.) neither skip nor repeat a number",
    ),
    rule(
        "text.empty-statement-fund",
        Severity::Error,
        "an empty-table statement names the fund of its own table",
    ),
    rule(
        "toc.entry",
        Severity::Warning,
        "every entry of the document's own 目录 has its chapter or table, in order, with the same title",
    ),
];

/// The default severity of a rule id (warning for an unknown id).
pub fn default_severity(id: &str) -> Severity {
    RULES
        .iter()
        .find(|r| r.id == id)
        .map_or(Severity::Warning, |r| r.severity)
}

/// Whether `id` names a rule.
pub fn is_rule(id: &str) -> bool {
    RULES.iter().any(|r| r.id == id)
}
