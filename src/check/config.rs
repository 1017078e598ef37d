//! The `[checks]` table of a profile: rules switched off, severities
//! changed, and what a whole disclosure must contain.

use super::finding::{Finding, Severity, is_rule};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What the checks are told by the profile.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Rule ids that never report (`off = ["unit.magnitude"]`).
    pub off: Vec<String>,
    /// Severity per rule id (`severity = { "text.repeated" = "error" }`).
    pub severity: BTreeMap<String, Severity>,
    /// Tables a whole disclosure must have: standard names (收支总表,
    /// 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算支出表, 基本支出表,
    /// 三公经费表) or words a title contains; `A|B` accepts either.
    pub required_tables: Vec<String>,
    /// Tables that may be missing or empty, but then an empty-table
    /// statement (本部门无…，故本表为空表) must say so.
    pub conditional_tables: Vec<String>,
    /// Chapters a whole disclosure must have: words a chapter title, a
    /// heading, a table title or a table's note contains; `A|B` accepts
    /// either.
    pub required_chapters: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Config {
            off: Vec::new(),
            severity: BTreeMap::new(),
            required_tables: v(&[
                "收支总表",
                "收入总表",
                "支出总表",
                "财政拨款收支总表",
                "一般公共预算支出表",
                "基本支出表",
                "三公经费表",
            ]),
            conditional_tables: v(&["政府性基金预算支出表", "国有资本经营预算支出表"]),
            // A 决算 book's are its 决算情况说明 and 预算绩效管理情况.
            required_chapters: v(&["编制说明|决算情况说明", "三公", "绩效目标|绩效管理"]),
        }
    }
}

impl Config {
    /// The profile key and value that names no rule, if any.
    pub fn unknown_rule(&self) -> Option<String> {
        self.off
            .iter()
            .find(|id| !is_rule(id))
            .map(|id| format!("checks.off: '{id}' is not a rule id"))
            .or_else(|| {
                self.severity
                    .keys()
                    .find(|id| !is_rule(id))
                    .map(|id| format!("checks.severity: '{id}' is not a rule id"))
            })
    }

    /// Drops the findings of rules switched off and sets the severities
    /// the profile asks for.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| !self.off.contains(&f.rule))
            .map(|mut f| {
                if let Some(s) = self.severity.get(&f.rule) {
                    f.severity = *s;
                }
                f
            })
            .collect()
    }
}
