//! Form templates: which published form a spec follows. A template decides which header
//! fields a project must fill (PS101) and what the importer writes; its name is written in
//! the file header (`模板 财政部2021`). Without that line a spec follows the Shanghai
//! 申报表, the form perfspec started from, so existing specs keep their meaning.
//!
//! Adding a template is one entry here plus a test (`docs/templates.md` lists them).

use super::evaluation::{Scoring, SCORING_NATIONAL, SCORING_SHANGHAI};
use super::keys::Key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateId {
    /// 上海市 财政项目支出绩效目标申报表 (2026)
    Shanghai,
    /// 财政部 2021 项目支出绩效目标申报表 and the provincial forms modelled on it
    Mof2021,
    /// 2015 中央部门 / 转移支付 项目绩效目标表 (成本 under 产出, 长期/年度 targets)
    Central2015,
    /// 区域（转移支付）绩效目标表
    Regional,
    /// 项目支出绩效自评表 (year-end; its targets are read like a 申报表's)
    SelfEvaluation,
}

pub struct Template {
    pub id: TemplateId,
    /// What a spec writes after `模板`.
    pub name: &'static str,
    /// Other names accepted after `模板`.
    pub aliases: &'static [&'static str],
    pub title: &'static str,
    pub name_en: &'static str,
    /// Fields every project must have (PS101). 主管部门 and 实施单位 may come from the file
    /// header.
    pub required: &'static [Key],
    /// Whether the pre-2021 tree (成本 as a 二级 under 产出) is this template's own, rather
    /// than a legacy placement to migrate.
    pub legacy_tree: bool,
    /// How a self-evaluation of a project under this template is scored.
    pub scoring: &'static Scoring,
    /// Labels that mark a form of this template when a row of its indicator table starts
    /// with one (no 一级 cell before it): `perfspec import` then follows this template,
    /// unless a row starts with one of [`Template::unmarkers`] (see [`marks`]).
    pub markers: &'static [&'static str],
    /// Labels starting a row that show the form is not this template after all.
    pub unmarkers: &'static [&'static str],
}

pub const TEMPLATES: &[Template] = &[
    Template {
        id: TemplateId::Shanghai,
        name: "上海",
        aliases: &["上海市", "上海申报表"],
        title: "财政项目支出绩效目标申报表",
        name_en: "Shanghai 申报表",
        required: &[
            Key::Department,
            Key::Unit,
            Key::Nature,
            Key::Kind,
            Key::Period,
            Key::Funding,
            Key::GoalAnnual,
        ],
        legacy_tree: false,
        scoring: &SCORING_SHANGHAI,
        markers: &[],
        unmarkers: &[],
    },
    Template {
        id: TemplateId::Mof2021,
        name: "财政部2021",
        aliases: &["财政部", "全国", "项目支出绩效目标申报表"],
        title: "项目支出绩效目标申报表",
        name_en: "Ministry of Finance 2021",
        required: &[Key::Department, Key::Unit, Key::Funding, Key::GoalAnnual],
        legacy_tree: false,
        scoring: &SCORING_NATIONAL,
        markers: &[],
        unmarkers: &[],
    },
    Template {
        id: TemplateId::Central2015,
        name: "中央2015",
        aliases: &["2015", "转移支付2015", "绩效目标表2015"],
        title: "项目支出绩效目标表",
        name_en: "central / transfer 2015",
        required: &[Key::Department, Key::Funding, Key::GoalAnnual],
        legacy_tree: true,
        scoring: &SCORING_NATIONAL,
        // The 2015 tree: satisfaction as a 二级 inside the 效益指标 rows, with no 一级 cell
        // of its own before it. A form with a 满意度指标 一级 row is the 2021 tree, whatever
        // its 二级 is called.
        markers: &["社会公众或服务对象满意度指标"],
        unmarkers: &["满意度指标"],
    },
    Template {
        id: TemplateId::Regional,
        name: "区域",
        aliases: &["区域绩效目标表", "转移支付区域"],
        title: "区域（转移支付）绩效目标表",
        name_en: "regional transfer targets",
        required: &[Key::Department, Key::Funding, Key::GoalAnnual],
        legacy_tree: true,
        scoring: &SCORING_NATIONAL,
        markers: &[],
        unmarkers: &[],
    },
    Template {
        id: TemplateId::SelfEvaluation,
        name: "自评表",
        aliases: &["绩效自评表", "项目支出绩效自评表"],
        title: "项目支出绩效自评表",
        name_en: "self-evaluation",
        required: &[Key::Department, Key::Unit],
        legacy_tree: true,
        scoring: &SCORING_NATIONAL,
        markers: &[],
        unmarkers: &[],
    },
];

impl TemplateId {
    pub fn get(self) -> &'static Template {
        TEMPLATES
            .iter()
            .find(|t| t.id == self)
            .unwrap_or(&TEMPLATES[0])
    }
    /// The template of a spec that names none.
    pub const DEFAULT: TemplateId = TemplateId::Shanghai;
}

impl Template {
    pub fn requires(&self, key: Key) -> bool {
        self.required.contains(&key)
    }
    /// The printed form has 项目性质 and 项目类别 cells beside the name: the template asks
    /// for them (Shanghai's); the others print the name alone on its line.
    pub fn has_nature_and_kind(&self) -> bool {
        self.requires(Key::Nature) || self.requires(Key::Kind)
    }
}

/// The template a name after `模板` means (spaces ignored).
pub fn by_name(name: &str) -> Option<&'static Template> {
    let n: String = name
        .chars()
        .filter(|c| !super::chars::is_space(*c))
        .collect();
    TEMPLATES
        .iter()
        .find(|t| t.name == n || t.aliases.contains(&n.as_str()))
}

/// What a row of a form's indicator table says of the template, from the text it starts
/// with (white space ignored): a template it marks, and one it rules out.
pub fn marks(row_start: &str) -> (Option<TemplateId>, Option<TemplateId>) {
    let t: String = row_start
        .chars()
        .filter(|c| !c.is_whitespace() && !super::chars::is_space(*c))
        .collect();
    let find = |f: fn(&Template) -> &'static [&'static str]| {
        TEMPLATES
            .iter()
            .find(|tpl| f(tpl).iter().any(|m| t.starts_with(m)))
            .map(|tpl| tpl.id)
    };
    (find(|t| t.markers), find(|t| t.unmarkers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_resolve() {
        for t in TEMPLATES {
            assert_eq!(by_name(t.name).map(|x| x.id), Some(t.id));
            assert_eq!(t.id.get().name, t.name);
            for a in t.aliases {
                assert_eq!(by_name(a).map(|x| x.id), Some(t.id), "{a}");
            }
        }
        assert_eq!(
            by_name("财政部 2021").map(|t| t.id),
            Some(TemplateId::Mof2021)
        );
        assert!(by_name("北京").is_none());
    }

    #[test]
    fn markers_mark_their_template() {
        for t in TEMPLATES {
            for m in t.markers {
                assert_eq!(marks(m).0, Some(t.id), "{m}");
            }
        }
        assert_eq!(
            marks("社会公众或服务对象满意度指标 学生家长满意度 ≥90%"),
            (Some(TemplateId::Central2015), None)
        );
        assert_eq!(
            marks("满意度指标 社会公众或服务对象满意度指标 市民满意度 ≥90%"),
            (None, Some(TemplateId::Central2015))
        );
    }
}
