"""Demo ledger: the 147 municipal key projects of Chengyang District for 2024.

Over 500 lines on purpose: most of it is the data itself (names, units, streets, funds,
campaigns, coordinates).

The article (first quarter 2024) gives only district totals; the per-project
rows here are invented but realistic, drawn from a seeded random generator so
that every run produces the same ledger. The totals are split across projects
exactly (to the cent), so the report computed from the stored rows reproduces
the article: 71 planned starts, 80 started, 9 early; investment planned
15.5 亿元 and done 24.1 亿元; inclusion planned 13.27 亿元 and done 23 亿元;
annual plans 137 and 109 亿元.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from .demo_library import late_library_entries
from .geo import DEMO_STREETS_FILE, point_inside, read_outlines
from .money import CENT

YEAR = 2024
PROGRAMME_CODE = "SJGJ2024"
PROGRAMME_NAME = "2024年市级攻坚项目"

# District totals from the article, in 万元.
ANNUAL_INVESTMENT = Decimal("1370000")
ANNUAL_INCLUSION = Decimal("1090000")
Q1_PLANNED_INVESTMENT = Decimal("155000")
Q1_DONE_INVESTMENT = Decimal("241000")
Q1_PLANNED_INCLUSION = Decimal("132700")
Q1_DONE_INCLUSION = Decimal("230000")

PROJECT_COUNT = 147
PLANNED_Q1_STARTS = 71  # all of them broke ground in Q1
EARLY_STARTS = 9  # planned for Q2/Q3, started in Q1
LATER_STARTS = 20  # planned for Q2-Q4, not started by 31 March
NEW_STARTS = PLANNED_Q1_STARTS + EARLY_STARTS + LATER_STARTS
CONTINUING = PROJECT_COUNT - NEW_STARTS

STREETS = [
    ("CY", "城阳街道"),
    ("LT", "流亭街道"),
    ("XZ", "夏庄街道"),
    ("XFZ", "惜福镇街道"),
    ("JHT", "棘洪滩街道"),
    ("SM", "上马街道"),
    ("HT", "河套街道"),
    ("HD", "红岛街道"),
]

UNITS = [
    ("FGJ", "区发展和改革局"),
    ("GXJ", "区工业和信息化局"),
    ("ZJJ", "区住房和城乡建设局"),
    ("CGJ", "区城市管理局"),
    ("JTJ", "区交通运输局"),
    ("JTY", "区教育和体育局"),
    ("WJJ", "区卫生健康局"),
    ("SWJ", "区商务局"),
    ("KJJ", "区科技局"),
    ("YLJ", "区园林和林业局"),
    *[(f"JD-{code}", f"{name}办事处") for code, name in STREETS],
]

CATEGORIES = [
    ("ZZY", "先进制造业"),
    ("XXCY", "战略性新兴产业"),
    ("FWY", "现代服务业"),
    ("CSGX", "城市更新"),
    ("JCSS", "基础设施"),
    ("SHMS", "社会民生"),
    ("STHJ", "生态环境"),
]

# Invented leaders in charge (包联领导), clearly fictional; their posts are in
# demo_leaders.POSTS. Ten of them: the generator draws one per project, so the count
# must stay ten for the demo's other random figures to stay as the article has them.
LEADERS = [
    "王某某",
    "李某某",
    "张某某",
    "刘某某",
    "陈某某",
    "杨某某",
    "赵某某",
    "孙某某",
    "周某某",
    "吴某某",
]

IMAGE_STAGES = ["前期手续办理", "场地平整", "基础施工", "主体施工", "主体封顶", "设备安装调试"]
PROBLEMS = [
    "土地征收尚未完成，影响施工进场",
    "施工许可证正在办理",
    "项目资金到位不足",
    "电力配套接入滞后",
    "环评批复待下达",
]


@dataclass
class DemoProject:
    """One demo project row before it is saved."""

    code: str
    name: str
    category: str
    unit: str
    street: str
    kind: str  # "new" or "continuing"
    leader: str
    # GB/T 4754 section letter (行业), from the name and category; see industry_of.
    industry: str = ""
    # The national platform's 项目代码 (see national_code_for).
    national_code: str = ""
    # A point inside its street's schematic outline (see demo_coordinates); WGS-84.
    longitude: Decimal | None = None
    latitude: Decimal | None = None
    total_investment: Decimal = Decimal(0)
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    planned_completion: dt.date | None = None
    statistics_entry_date: dt.date | None = None
    image_progress: str = ""
    weight: float = 1.0
    plan_investment: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * 4)
    plan_inclusion: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * 4)
    # Special campaigns (专项) the project belongs to, and whether briefings feature it.
    tags: list[str] = field(default_factory=list)
    highlighted: bool = False
    # month -> (investment, inclusion, image progress, problems)
    months: dict[int, tuple[Decimal, Decimal, str, str]] = field(default_factory=dict)


def allocate(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split ``total`` into amounts proportional to ``weights`` that add up exactly, to the cent.

    Largest-remainder rounding, with ties broken by position, so the result is
    deterministic.
    """
    cents = int((total / CENT).to_integral_value())
    weight_sum = sum(weights)
    if not weights or weight_sum <= 0:
        raise ValueError("weights must be positive")
    raw = [cents * w / weight_sum for w in weights]
    floors = [int(r) for r in raw]
    left = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


# Named in the article (or plainly implied by it), with their kind and timing.
NAMED = [
    # name, category, street, kind, planned start month, start timing, image progress
    ("物元半导体项目", "XXCY", "HD", "continuing", None, None, "研发楼主体已封顶，争取上半年量产"),
    (
        "鹏辉能源项目",
        "XXCY",
        "JHT",
        "new",
        2,
        "q1",
        "按零碳工厂标准建设，正在基础施工，争取年底投产",
    ),
    ("中电科数字电磁产业园一期", "XXCY", "HD", "continuing", None, None, "生产车间部分封顶"),
    ("青岛农业大学海都学院新校项目", "SHMS", "SM", "new", 10, "later", "招商签约，前期手续办理中"),
    (
        "中国供销（青岛）进出口食品生产基地项目",
        "ZZY",
        "HT",
        "new",
        9,
        "later",
        "招商签约，规划设计方案编制中",
    ),
]
# The article quotes these three projects' image progress (重点展示).
HIGHLIGHTED = {"物元半导体项目", "鹏辉能源项目", "中电科数字电磁产业园一期"}
# The article's campaigns that fall within the 147 projects, as tag names.
TAG_OLD_COMPOUNDS = "老旧小区改造"
TAG_ROADS = "断头路打通"
TAG_PARKS = "公园建设"
TAGS = [TAG_OLD_COMPOUNDS, TAG_ROADS, TAG_PARKS]
OLD_COMPOUNDS = ["阳光丽苑", "国城小区", "书香门第", "正阳花园", "锦绣华庭", "春阳苑", "流亭花园"]
ROADS = ["荟城路", "明阳路", "锦宏东路", "仙山西路", "山河路北段", "春阳路东段", "正阳西路延伸段"]
PARKS = ["岙东路林荫廊道", "白沙河滨河公园", "墨水河生态公园", "棘洪滩口袋公园", "夏庄山体公园"]

# The article's campaigns whose items are mostly not listed projects: their own counts at the
# end of March (name, target, categories, {stage: count}). The article names 微更新's four
# categories only as "…等4大类"; the names here are illustrative.
TAG_MICRO = "微更新"
CAMPAIGN_COUNTS = [
    (
        TAG_MICRO,
        45,
        "口袋公园、街角绿地、背街小巷、社区微空间",
        {"launched": 45, "design_done": 0, "started": 0, "early": 0, "completed": 3},
    ),
    (
        TAG_PARKS,
        46,
        "",
        {"launched": 46, "design_done": 46, "started": 5, "early": 5, "completed": 0},
    ),
]
CAMPAIGN_MONTH = 3

INDUSTRY_NAMES = [
    "智能装备",
    "新能源汽车零部件",
    "生物医药",
    "高端化工新材料",
    "集成电路封装测试",
    "轨道交通装备配套",
    "冷链物流中心",
    "食品精深加工",
    "人工智能算力中心",
    "数字经济产业园",
    "精密模具",
    "氢能装备",
    "医疗器械",
    "光电显示材料",
    "智能家电",
    "工业互联网平台",
    "跨境电商产业园",
    "文化创意街区",
    "总部经济大厦",
    "储能电池",
    "航空零部件",
    "海洋生物制品",
    "绿色建材",
    "智慧物流园",
]
COMPANY_PREFIXES = [
    "青岛瑞丰",
    "青岛海晟",
    "城阳华创",
    "青岛中科",
    "青岛鼎新",
    "青岛恒润",
    "青岛博远",
    "青岛金桥",
    "青岛卓越",
    "青岛启明",
    "青岛东方",
    "青岛汇通",
]
CIVIC_NAMES = [
    "城阳区人民医院门诊楼改扩建",
    "城阳区第三实验中学",
    "流亭街道九年一贯制学校",
    "夏庄街道社区卫生服务中心",
    "棘洪滩污水处理厂扩建",
    "红岛片区供热管网改造",
    "上马街道农贸市场提升",
    "河套片区雨污分流改造",
    "城阳区全民健身中心",
    "惜福镇街道养老服务中心",
    "白沙河河道综合整治",
    "城阳区档案馆新馆",
]

CATEGORY_FOR_INDUSTRY = {
    "冷链物流中心": "FWY",
    "跨境电商产业园": "FWY",
    "文化创意街区": "FWY",
    "总部经济大厦": "FWY",
    "智慧物流园": "FWY",
    "人工智能算力中心": "XXCY",
    "集成电路封装测试": "XXCY",
    "生物医药": "XXCY",
    "氢能装备": "XXCY",
    "储能电池": "XXCY",
    "光电显示材料": "XXCY",
    "海洋生物制品": "XXCY",
    "医疗器械": "XXCY",
    "工业互联网平台": "XXCY",
    "数字经济产业园": "XXCY",
}
CIVIC_CATEGORY = {"污水": "STHJ", "河道": "STHJ", "管网": "JCSS", "雨污": "JCSS"}

UNIT_FOR_CATEGORY = {
    "ZZY": ["GXJ", "FGJ", "SWJ"],
    "XXCY": ["GXJ", "KJJ", "FGJ", "SWJ"],
    "FWY": ["SWJ", "FGJ"],
    "CSGX": ["ZJJ"],
    "JCSS": ["JTJ", "CGJ"],
    "SHMS": ["JTY", "WJJ", "FGJ"],
    "STHJ": ["YLJ", "CGJ"],
}


# GB/T 4754 sections by words in a project's name, checked in this order; then by category.
INDUSTRY_BY_WORD = (
    ("物流", "G"),
    ("电商", "F"),
    ("农贸市场", "F"),
    ("算力", "I"),
    ("工业互联网", "I"),
    ("数字经济", "I"),
    ("数字电磁", "C"),
    ("总部", "L"),
    ("文化创意", "R"),
    ("健身", "R"),
    ("医院", "Q"),
    ("卫生", "Q"),
    ("养老", "Q"),
    ("学校", "P"),
    ("中学", "P"),
    ("学院", "P"),
    ("档案馆", "S"),
    ("供热", "D"),
    ("污水", "N"),
    ("河道", "N"),
    ("雨污", "N"),
)
INDUSTRY_BY_CATEGORY = {
    "ZZY": "C",  # 制造业
    "XXCY": "C",
    "FWY": "L",  # 租赁和商务服务业
    "CSGX": "E",  # 建筑业: old compounds rebuilt
    "JCSS": "E",  # roads
    "SHMS": "Q",
    "STHJ": "N",  # 水利、环境和公共设施管理业: parks
}


def industry_of(name: str, category: str) -> str:
    """The demo project's 行业: by a telling word in its name, else by its category."""
    for word, section in INDUSTRY_BY_WORD:
        if word in name:
            return section
    return INDUSTRY_BY_CATEGORY[category]


def _random_day(rng: random.Random, year: int, month: int, latest: int = 28) -> dt.date:
    return dt.date(year, month, rng.randint(1, latest))


# Government-funded categories are 审批 (approved, type 01); the others are enterprises'
# projects, 备案 (filed, type 03). The department part is the investment authority's.
GOVERNMENT_CATEGORIES = {"城市更新", "基础设施", "社会民生", "生态环境"}


def national_code_for(number: int, category: str, kind: str, region: str) -> str:
    """A well-formed 项目代码 for the demo's ``number``th project, the same on every run.

    A new start's code was issued this year, a continuing project's in one of the three
    before. The check character is the serial's digit sum mod 10: invented, since the real
    algorithm is not confirmed (the tracker checks the structure only).
    """
    year = YEAR if kind == "new" else YEAR - 1 - number % 3
    kind_code = "01" if category in GOVERNMENT_CATEGORIES else "03"
    serial = f"{(number * 7919) % 100000:05d}"
    check = sum(int(d) for d in serial) % 10
    return f"{year}-{region}-04-{kind_code}-{serial}{check}"


def _leader(drawn: str, number: int) -> str:
    return "" if number % 25 == 0 else drawn


def build() -> list[DemoProject]:  # noqa: C901
    """The 147 demo projects with their plans and monthly progress, deterministically."""
    rng = random.Random(20240331)
    projects: list[DemoProject] = []

    def add(name, category, street, kind, unit=None):
        unit = unit or rng.choice(UNIT_FOR_CATEGORY[category])
        # Street offices answer for many projects in their own streets.
        if rng.random() < 0.45:
            unit = f"JD-{street}"
        project = DemoProject(
            code=f"CY{YEAR}-{len(projects) + 1:03d}",
            name=name,
            category=category,
            unit=unit,
            street=street,
            kind=kind,
            # Drawn for every project (the draws that follow must not move); every 25th
            # project has none yet, so the breakdown shows its 未指定 row.
            leader=_leader(rng.choice(LEADERS), len(projects) + 1),
            industry=industry_of(name, category),
            national_code=national_code_for(
                len(projects) + 1, category, kind, settings.TRACKER_REGION_CODE
            ),
        )
        projects.append(project)
        return project

    # Start timings: "q1" planned and started in Q1, "early" planned Q2/Q3 but
    # started in Q1, "later" planned Q2-Q4 and not started by 31 March.
    timing: dict[str, tuple[str, int | None]] = {}
    street_codes = [code for code, _ in STREETS]

    for name, category, street, kind, month, when, progress in NAMED:
        project = add(name, category, street, kind)
        project.image_progress = progress
        project.highlighted = name in HIGHLIGHTED
        timing[project.code] = (when or "", month)
    for name in OLD_COMPOUNDS:
        project = add(f"{name}老旧小区改造项目", "CSGX", rng.choice(street_codes), "new")
        project.tags.append(TAG_OLD_COMPOUNDS)
        timing[project.code] = ("q1", rng.randint(1, 3))
    for name in ROADS:
        project = add(f"{name}打通工程", "JCSS", rng.choice(street_codes), "new")
        project.tags.append(TAG_ROADS)
        timing[project.code] = ("q1", rng.randint(2, 3))
    for name in PARKS:
        project = add(f"{name}项目", "STHJ", rng.choice(street_codes), "new")
        project.tags.append(TAG_PARKS)
        timing[project.code] = ("early", rng.choice([4, 5, 6]))
    for name in CIVIC_NAMES:
        category = next((c for key, c in CIVIC_CATEGORY.items() if key in name), "SHMS")
        add(f"{name}项目", category, rng.choice(street_codes), "new")

    names = [
        f"{prefix}{industry}项目" for industry in INDUSTRY_NAMES for prefix in COMPANY_PREFIXES
    ]
    rng.shuffle(names)
    names_iter = iter(names)
    while len(projects) < PROJECT_COUNT:
        name = next(names_iter)
        industry = next(i for i in INDUSTRY_NAMES if i in name)
        category = CATEGORY_FOR_INDUSTRY.get(industry, "ZZY")
        add(name, category, rng.choice(street_codes), "new")

    # Decide kinds and timings for the generated projects so the counts match.
    counts = {"q1": 0, "early": 0, "later": 0, "continuing": 0}
    for project in projects:
        if project.kind == "continuing":
            counts["continuing"] += 1
        elif project.code in timing:
            counts[timing[project.code][0]] += 1
    open_projects = [p for p in projects if p.kind == "new" and p.code not in timing]
    rng.shuffle(open_projects)
    wanted = {
        "continuing": CONTINUING - counts["continuing"],
        "q1": PLANNED_Q1_STARTS - counts["q1"],
        "early": EARLY_STARTS - counts["early"],
        "later": LATER_STARTS - counts["later"],
    }
    cursor = 0
    for when, count in wanted.items():
        for project in open_projects[cursor : cursor + count]:
            if when == "continuing":
                project.kind = "continuing"
            else:
                month = {"q1": rng.randint(1, 3), "early": rng.randint(4, 8)}.get(
                    when, rng.randint(4, 12)
                )
                timing[project.code] = (when, month)
        cursor += count
    assert cursor == len(open_projects), "demo counts do not add up to 147"

    for project in projects:
        _fill_dates(project, timing.get(project.code), rng)

    _fill_amounts(projects, timing, rng)
    late_library_entries(projects, YEAR)
    demo_coordinates(projects)
    return projects


def _fill_dates(project: DemoProject, when, rng: random.Random) -> None:
    is_big = rng.random() < 0.2
    project.total_investment = Decimal(
        rng.randrange(200_000, 1_200_000, 1000) if is_big else rng.randrange(8_000, 150_000, 500)
    )
    project.weight = float(project.total_investment) * rng.uniform(0.6, 1.4)
    if project.kind == "continuing":
        start_year = rng.choice([2021, 2022, 2023])
        project.actual_start = _random_day(rng, start_year, rng.randint(1, 12))
        project.planned_start = None
        project.planned_completion = _random_day(rng, rng.choice([2024, 2025, 2026]), 12)
        project.statistics_entry_date = project.actual_start + dt.timedelta(
            days=rng.randint(10, 60)
        )
        if not project.image_progress:
            project.image_progress = rng.choice(IMAGE_STAGES[3:])
        return
    kind, month = when
    project.planned_start = _random_day(rng, YEAR, month)
    project.planned_completion = _random_day(rng, rng.choice([2025, 2026, 2027]), 12)
    if kind == "q1":
        # Broke ground in Q1: on the planned day or a little after, within March.
        start = project.planned_start + dt.timedelta(days=rng.randint(0, 20))
        project.actual_start = min(start, dt.date(YEAR, 3, 31))
    elif kind == "early":
        project.actual_start = _random_day(rng, YEAR, rng.randint(2, 3))
    if project.actual_start:
        project.statistics_entry_date = project.actual_start + dt.timedelta(days=rng.randint(3, 15))
        if project.statistics_entry_date > dt.date(YEAR, 3, 31):
            project.statistics_entry_date = dt.date(YEAR, 3, 31)
        if not project.image_progress:
            project.image_progress = rng.choice(IMAGE_STAGES[1:4])
    elif not project.image_progress:
        project.image_progress = "前期手续办理中"


def _fill_amounts(projects: list[DemoProject], timing, rng: random.Random) -> None:
    weights = [p.weight for p in projects]
    annual_inv = allocate(ANNUAL_INVESTMENT, weights)
    annual_inc = allocate(ANNUAL_INCLUSION, [w * rng.uniform(0.7, 1.0) for w in weights])

    def starts_in_q1(project: DemoProject) -> bool:
        return project.kind == "continuing" or timing[project.code][0] == "q1"

    def started_by_march(project: DemoProject) -> bool:
        return project.actual_start is not None and project.actual_start <= dt.date(YEAR, 3, 31)

    # Q1 plans only for projects meant to be under way in Q1.
    q1_planned = [p for p in projects if starts_in_q1(p)]
    q1_inv = allocate(Q1_PLANNED_INVESTMENT, [p.weight for p in q1_planned])
    q1_inc = allocate(Q1_PLANNED_INCLUSION, [p.weight * rng.uniform(0.7, 1.1) for p in q1_planned])
    q1_by_code = {
        p.code: (inv, inc) for p, inv, inc in zip(q1_planned, q1_inv, q1_inc, strict=True)
    }

    for project, inv_year, inc_year in zip(projects, annual_inv, annual_inc, strict=True):
        inv_q1, inc_q1 = q1_by_code.get(project.code, (Decimal(0), Decimal(0)))
        project.plan_investment = [inv_q1, *allocate(inv_year - inv_q1, [3, 3.3, 3.7])]
        project.plan_inclusion = [inc_q1, *allocate(inc_year - inc_q1, [3, 3.3, 3.7])]

    # Q1 actuals: every project under way by March, ahead of plan on the whole.
    active = [p for p in projects if started_by_march(p)]
    done_inv = allocate(Q1_DONE_INVESTMENT, [p.weight * rng.uniform(0.5, 2.0) for p in active])
    done_inc = allocate(Q1_DONE_INCLUSION, [float(inv) * rng.uniform(0.8, 1.1) for inv in done_inv])
    for project, inv, inc in zip(active, done_inv, done_inc, strict=True):
        first = 1 if project.actual_start.year < YEAR else project.actual_start.month
        months = list(range(first, 4))
        shares = [1.0, 1.3, 1.8][first - 1 :]
        inv_months = allocate(inv, shares)
        inc_months = allocate(inc, shares)
        stage = (
            IMAGE_STAGES.index(project.image_progress)
            if project.image_progress in IMAGE_STAGES
            else None
        )
        problem_month = rng.choice(months) if rng.random() < 0.12 else None
        for i, month in enumerate(months):
            if stage is not None:
                text = IMAGE_STAGES[max(0, stage - (len(months) - 1 - i))]
            else:
                text = project.image_progress
            problem = rng.choice(PROBLEMS) if month == problem_month else ""
            project.months[month] = (inv_months[i], inc_months[i], text, problem)


# District indicators (区级指标) beside the projects, entered by their units: (code, name,
# unit of count, frequency, owning unit, period, figure, target or None). Yearly figures are
# the year so far (period 0); the quarterly ones are the first quarter's.
INDICATORS = [
    ("KJXZX", "科技型中小企业入库", "家", "year", "KJJ", 0, 2427, 2500),
    ("GXJS", "高新技术企业", "家", "year", "KJJ", 0, 2020, 2100),
    ("YYQY", "过亿元签约项目", "个", "quarter", "SWJ", 1, 23, None),
    ("CCLJ", "拆除超期临建", "处", "quarter", "CGJ", 1, 57, None),
]

# Funds in place (到位资金) for a few projects in the first quarter: (project code, month,
# source, 万元). Enough for the report's 资金到位率 to read as something; they touch no
# figure of the article (funds are a table of their own).
FUNDS = [
    ("CY2024-001", 1, "district", "3000"),
    ("CY2024-001", 3, "special_bonds", "12000"),
    ("CY2024-002", 2, "central", "5000"),
    ("CY2024-002", 3, "social", "8000"),
    ("CY2024-005", 2, "province", "2500"),
    ("CY2024-005", 3, "city", "1500"),
    ("CY2024-010", 3, "social", "20000"),
    ("CY2024-020", 3, "special_bonds", "6000"),
]


def demo_streets_text() -> str:
    """The demo's street outlines: a schematic GeoJSON file, not survey data."""
    return DEMO_STREETS_FILE.read_text(encoding="utf-8")


def demo_coordinates(projects: list[DemoProject]) -> None:
    """Give each project a point inside its street's schematic outline, the same every run.

    Read apart from the random generator, so adding coordinates changed no other figure.
    """
    outlines = {o.code: o.geometry for o in read_outlines(demo_streets_text())}
    for number, project in enumerate(projects, start=1):
        point = point_inside(outlines[f"JD-{project.street}"], number)
        if point is not None:
            project.longitude, project.latitude = point
