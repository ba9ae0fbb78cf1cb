"""The demo's leaders in charge (包联领导) and its 专班 groups, invented for the demo.

Kept apart from ``demo.py`` so the article's figures cannot move with them: the leaders'
names are drawn there (``demo.LEADERS``), their posts are here; the 专班 are read from
each project's name and category, with no random draw.
"""

from __future__ import annotations

# A post for each of demo.LEADERS, in the district's usual wording.
POSTS = {
    "王某某": "区委副书记、区长",
    "李某某": "区委常委、常务副区长",
    "张某某": "区委常委、组织部部长",
    "刘某某": "区委常委、宣传部部长",
    "陈某某": "副区长",
    "杨某某": "副区长",
    "赵某某": "副区长",
    "孙某某": "区人大常委会副主任",
    "周某某": "区政协副主席",
    "吴某某": "副区长",
}

# (group, task force, words): a project is in a task force when its name holds one of the
# words or its category code is one of them. A project may be in several, within a group
# and across groups: 青岛东方人工智能算力中心 is in 新一代信息技术产业链专班 and both 攻势.
TASK_FORCES = (
    (
        "产业链专班",
        "新一代信息技术产业链专班",
        ("半导体", "光电", "电磁", "人工智能", "工业互联网", "数字经济"),
    ),
    ("产业链专班", "新能源汽车产业链专班", ("新能源", "氢能", "鹏辉能源")),
    ("产业链专班", "生物医药产业链专班", ("医药", "医疗器械", "生物")),
    ("产业链专班", "轨道交通装备产业链专班", ("轨道交通", "航空")),
    ("攻势", "科技创新攻势", ("XXCY",)),
    ("攻势", "城市更新和城市建设攻势", ("CSGX", "JCSS")),
    ("攻势", "双招双引攻势", ("产业园", "基地", "总部")),
)
GROUPS = tuple(dict.fromkeys(group for group, _name, _words in TASK_FORCES))


def task_forces_of(name: str, category: str) -> list[str]:
    """The task forces a demo project is in, from its name and category code."""
    return [
        force
        for _group, force, words in TASK_FORCES
        if any(word in name or word == category for word in words)
    ]
