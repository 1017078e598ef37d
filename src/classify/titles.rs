//! Titles of tables: which of the standard tables of a 部门预算 a title
//! names, and where a profile's table order puts it.

/// The standard position of a table in a 部门预算 book, from its title:
/// 收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算支出表,
/// 基本支出表, "三公"经费表, 政府性基金, 国有资本经营, 项目支出绩效目标表.
/// More specific names are tested first (财政拨款收支总表 before 收支总表).
pub(crate) fn standard_rank(title: &str) -> Option<usize> {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let rules: [(&[&str], usize); 10] = [
        // 决算 (final accounts) books name it 财政拨款收入支出决算总表.
        (&["财政拨款收支", "财政拨款收入支出决算总表"], 4),
        (&["三公"], 7),
        (&["政府性基金"], 8),
        (&["国有资本经营"], 9),
        (&["绩效目标"], 10),
        (&["基本支出"], 6),
        (&["一般公共预算"], 5),
        (&["收支总表", "收支预算总表", "收入支出"], 1),
        (
            &[
                "收入总表",
                "收入预算总表",
                "收入预算表",
                "收入决算表",
                "收入表",
            ],
            2,
        ),
        (
            &[
                "支出总表",
                "支出预算总表",
                "支出预算表",
                "支出决算表",
                "支出表",
            ],
            3,
        ),
    ];
    rules
        .iter()
        .find(|(words, _)| words.iter().any(|w| t.contains(w)))
        .map(|(_, rank)| *rank)
}

/// The kinds of table [`standard_rank`] tells apart, in the national
/// (and Guangdong) standard order; `book.table_order` in a profile lists
/// these (or any other text a title contains) in its own order.
pub(crate) const STANDARD_TABLE_ORDER: [&str; 10] = [
    "收支总表",
    "收入总表",
    "支出总表",
    "财政拨款收支总表",
    "一般公共预算支出表",
    "基本支出",
    "三公",
    "政府性基金",
    "国有资本经营",
    "绩效目标",
];

/// Where a table goes under `order` (a profile's `book.table_order`): the
/// first entry naming its kind (see [`STANDARD_TABLE_ORDER`]), else the
/// first entry its title contains; after all of them when none does.
pub(crate) fn rank_in(order: &[String], title: &str) -> usize {
    let kind = standard_rank(title).and_then(|r| STANDARD_TABLE_ORDER.get(r - 1));
    let squeezed: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    order
        .iter()
        .position(|e| Some(&e.as_str()) == kind)
        .or_else(|| {
            order
                .iter()
                .position(|e| !e.is_empty() && squeezed.contains(e.as_str()))
        })
        .unwrap_or(order.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_order() {
        let titles = [
            "项目支出绩效目标表（含转移支付项目）",
            "政府性基金预算支出表",
            "一般公共预算\"三公\"经费支出表",
            "一般公共预算基本支出表",
            "财政拨款收支总表",
            "部门支出总表",
            "部门收入总表",
            "部门收支总表",
            "一般公共预算支出表",
            "国有资本经营预算支出表",
        ];
        let mut ranked: Vec<(usize, &str)> = titles
            .iter()
            .map(|t| (standard_rank(t).unwrap(), *t))
            .collect();
        ranked.sort();
        let order: Vec<&str> = ranked.iter().map(|(_, t)| *t).collect();
        assert_eq!(
            order,
            vec![
                "部门收支总表",
                "部门收入总表",
                "部门支出总表",
                "财政拨款收支总表",
                "一般公共预算支出表",
                "一般公共预算基本支出表",
                "一般公共预算\"三公\"经费支出表",
                "政府性基金预算支出表",
                "国有资本经营预算支出表",
                "项目支出绩效目标表（含转移支付项目）",
            ]
        );
    }

    #[test]
    fn profile_orders_rank_kinds_and_titles() {
        let national: Vec<String> = STANDARD_TABLE_ORDER.iter().map(|s| s.to_string()).collect();
        let jb = "2025年部门一般公共预算基本支出部门预算经济分类预算表";
        let fund = "2025年部门政府性基金预算支出功能分类预算表";
        assert!(rank_in(&national, jb) < rank_in(&national, fund));
        let shanghai: Vec<String> = ["政府性基金", "基本支出"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(rank_in(&shanghai, fund) < rank_in(&shanghai, jb));
        // Text a title contains, and titles no entry names go last.
        let custom = vec!["绩效".to_string()];
        assert_eq!(rank_in(&custom, "项目支出绩效目标表"), 0);
        assert_eq!(rank_in(&custom, "部门收支总表"), 1);
    }

    #[test]
    fn final_accounts_titles_are_the_standard_tables() {
        // The nine tables of a 部门决算 (Shanghai, 2024).
        for (title, rank) in [
            ("收入支出决算总表", Some(1)),
            ("收入决算表", Some(2)),
            ("支出决算表", Some(3)),
            ("财政拨款收入支出决算总表", Some(4)),
            ("一般公共预算财政拨款支出决算表", Some(5)),
            ("一般公共预算财政拨款基本支出决算表", Some(6)),
            ("财政拨款“三公”经费支出决算表", Some(7)),
            ("政府性基金预算财政拨款收入支出决算表", Some(8)),
            ("国有资本经营预算财政拨款收入支出决算表", Some(9)),
        ] {
            assert_eq!(standard_rank(title), rank, "{title}");
        }
    }
}
