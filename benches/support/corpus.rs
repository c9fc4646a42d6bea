//! Deterministic corpus of realistic declarations, shared by `examples/gen.rs` and the
//! benchmarks. Same arguments, same bytes: a fixed xorshift generator, no clock. Every
//! generated spec checks clean, so timings measure the whole pipeline, not error paths.

use std::fmt::Write as _;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const DEPARTMENTS: &[&str] = &[
    "上海市绿化和市容管理局",
    "上海市交通委员会",
    "上海市教育委员会",
    "上海市卫生健康委员会",
    "上海市民政局",
    "上海市生态环境局",
    "上海市水务局",
    "上海市文化和旅游局",
];
const UNITS: &[&str] = &[
    "行政服务中心",
    "信息中心",
    "事务中心",
    "监测站",
    "管理所",
    "指导站",
    "研究所",
    "保障中心",
];
const TOPICS: &[&str] = &[
    "热线服务保障",
    "行业信访及应急",
    "政务服务窗口",
    "数据统计分析",
    "安全生产技术支撑",
    "绿化养护监督",
    "市容环境整治",
    "垃圾分类宣传",
    "林业有害生物防治",
    "公园设施维护",
    "执法督查督办",
    "信息系统运维",
    "档案数字化",
    "人员培训",
    "课题研究",
];
const ACTIONS: &[&str] = &[
    "受理", "处置", "巡查", "检测", "培训", "宣传", "督办", "回访", "维护", "评估", "统计", "审核",
];
const OBJECTS: &[&str] = &[
    "市民诉求",
    "工单",
    "行政许可材料",
    "安全隐患",
    "绿地",
    "行道树",
    "公共厕所",
    "垃圾收运点",
    "信访件",
    "数据报表",
    "系统模块",
    "培训课程",
    "技术报告",
    "监测点位",
];
const NATURES: &[&str] = &[
    "经常性专项业务费",
    "其他经常性项目",
    "阶段性项目",
    "一次性项目",
];
const COUNT_UNITS: &[&str] = &[
    "次", "件", "份", "批次", "期次", "人次", "个", "项", "场", "份(册)",
];
const QUALITATIVE: &[&str] = &[
    "及时",
    "提高",
    "提升",
    "有效保障",
    "健全",
    "显著提升",
    "效果明显",
];

fn project(rng: &mut Rng, out: &mut String, id: usize) {
    let topic = rng.pick(TOPICS);
    let goal_sentences = 3 + rng.below(6);
    let mut goal = String::new();
    for _ in 0..goal_sentences {
        let _ = write!(
            goal,
            "围绕{}工作，持续做好{}{}，确保{}{}规范有序、及时高效。",
            topic,
            rng.pick(OBJECTS),
            rng.pick(ACTIONS),
            rng.pick(OBJECTS),
            rng.pick(ACTIONS)
        );
    }
    // Money: caps in 万元 that add up exactly to the annual request.
    let caps = 2 + rng.below(4);
    let cap_values: Vec<u64> = (0..caps).map(|_| 100 + rng.below(9000) as u64).collect(); // in 0.01 万元
    let total_fen: u64 = cap_values.iter().map(|c| c * 10_000).sum(); // 0.01 万元 = 100 元 = 10000 分
    let carry_fen = if rng.below(4) == 0 { total_fen / 10 } else { 0 };
    let nature = rng.pick(NATURES);
    // A staged project states its whole life (PS112, PS211); a one-off or staged project
    // that starts this year carries nothing over (PS213).
    let staged = nature == "阶段性项目";
    let carry_fen = if nature.contains("经常性") {
        carry_fen
    } else {
        0
    };
    let appr_fen = total_fen - carry_fen;
    let yuan = |fen: u64| format!("{}.{:02}", group(fen / 100), fen % 100);
    let _ = writeln!(out, "项目 {topic}专项{id:05} {{");
    let _ = writeln!(out, "  性质 {nature}");
    let _ = writeln!(out, "  类别 特定目标类");
    let _ = writeln!(out, "  期间 2026-01-01 至 2026-12-31");
    let _ = writeln!(out);
    let _ = writeln!(out, "  资金 {{");
    let _ = writeln!(out, "    年度资金申请总额 {}", yuan(total_fen));
    let _ = writeln!(out, "    当年财政拨款 {}", yuan(appr_fen));
    let _ = writeln!(out, "    上年结转资金 {}", yuan(carry_fen));
    let _ = writeln!(out, "    其他资金 0.00");
    if staged {
        let _ = writeln!(out, "    项目资金总额 {}", yuan(total_fen * 3));
        let _ = writeln!(out, "    财政资金 {}", yuan(total_fen * 3));
    }
    let _ = writeln!(out, "  }}");
    let _ = writeln!(out);
    if staged {
        let _ = writeln!(out, "  项目总目标 三年内{goal}");
    }
    let _ = writeln!(out, "  年度总体目标 \"\"\"");
    let _ = writeln!(out, "    {goal}");
    let _ = writeln!(out, "  \"\"\"");
    let _ = writeln!(out);
    for (i, c) in cap_values.iter().enumerate() {
        let _ = writeln!(
            out,
            "  经济成本 {}{}成本控制情况{i} ≤ {}.{:02} 万元",
            rng.pick(OBJECTS),
            rng.pick(ACTIONS),
            c / 100,
            c % 100
        );
    }
    if rng.below(2) == 0 {
        let _ = writeln!(
            out,
            "  经济成本 {}单位成本 ≤ {}.00 元/件",
            rng.pick(OBJECTS),
            10 + rng.below(500)
        );
    }
    let _ = writeln!(out);
    for i in 0..(3 + rng.below(8)) {
        let _ = writeln!(
            out,
            "  数量 {}{}数量{i} ≥ {}.00 {}",
            rng.pick(OBJECTS),
            rng.pick(ACTIONS),
            1 + rng.below(20000),
            rng.pick(COUNT_UNITS)
        );
    }
    for i in 0..(1 + rng.below(4)) {
        let _ = writeln!(
            out,
            "  质量 {}{}准确率{i} ≥ {}.00 %",
            rng.pick(OBJECTS),
            rng.pick(ACTIONS),
            80 + rng.below(21)
        );
    }
    let _ = writeln!(
        out,
        "  时效 {}响应时间 ≤ {}.00 小时",
        rng.pick(OBJECTS),
        1 + rng.below(72)
    );
    let _ = writeln!(out, "  时效 {}按计划完成 = 及时", rng.pick(ACTIONS));
    let _ = writeln!(out);
    let _ = writeln!(out, "  社会效益 有责投诉率 ≤ {}.00 %", 1 + rng.below(5));
    let _ = writeln!(
        out,
        "  社会效益 {}{}成效 = {}",
        rng.pick(OBJECTS),
        rng.pick(ACTIONS),
        rng.pick(QUALITATIVE)
    );
    let _ = writeln!(out, "  可持续影响 长效管理机制健全性 = 健全");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  服务对象满意度 {}满意度 ≥ {}.00 %",
        rng.pick(OBJECTS),
        85 + rng.below(11)
    );
    let _ = writeln!(out, "}}");
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `projects` projects spread over files of `per_file` projects, each file under one of
/// 100 unit folders: `(relative path, text)`.
pub fn generate(projects: usize, per_file: usize) -> Vec<(String, String)> {
    let per_file = per_file.max(1);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut files = Vec::new();
    let mut id = 0;
    while id < projects {
        let file_no = files.len();
        let dept = rng.pick(DEPARTMENTS);
        let unit = format!("{}{}", dept.trim_start_matches("上海市"), rng.pick(UNITS));
        let mut text =
            format!("# 生成的语料 {file_no:05}\n年度 2026\n主管部门 {dept}\n实施单位 {unit}\n");
        for _ in 0..per_file.min(projects - id) {
            text.push('\n');
            project(&mut rng, &mut text, id);
            id += 1;
        }
        files.push((format!("u{:03}/f{file_no:05}.perf", file_no % 100), text));
    }
    files
}
