"""The agreement templates, versioned: a new version is a new entry, old ones stay so an
agreement can always be traced to the words it was made from.

Each template is filled with a placement's facts (`fill`); the signed text is the Chinese
text, a separator, then the English text, exactly as stored in `Agreement.text`.
"""

from __future__ import annotations

from dataclasses import dataclass

CURRENT = "2026.1"
SEPARATOR = "\n\n——— English ———\n\n"


@dataclass(frozen=True)
class Template:
    """One version of the agreement text in Chinese and English."""

    version: str
    zh: str
    en: str


_ZH = """三方实习协议（第 {terms_version} 版，模板 {template_version}）

甲方（学校）：{university}
乙方（实习单位）：{enterprise}
丙方（学生）：{student}{guardian_zh}

一、实习岗位：{title}；实习期间：{starts_on} 至 {ends_on}。
二、工作时间：每日不超过 {hours_per_day} 小时，每周不超过 {hours_per_week} 小时，\
{work_starts_at} 至 {work_ends_at}；每周休息 {rest_days} 日；不安排加班和夜班。
三、实习报酬：每月 {stipend}，以货币形式按月直接支付给学生。
四、保险：{insurance_zh}
五、指导：学校指导教师 {school_mentor}；实习单位指导人员 {enterprise_mentor}。
六、乙方不得向丙方收取押金、培训费、管理费或其他任何费用，不得扣押丙方的学生证、\
居民身份证或其他证件。
七、本协议依据《职业学校学生实习管理规定》（教职成〔2021〕4号）订立；条款变更后须三方重新签署。
"""

_EN = """Three-party placement agreement (version {terms_version}, template {template_version})

School: {university}
Host enterprise: {enterprise}
Student: {student}{guardian_en}

1. Post: {title}; from {starts_on} to {ends_on}.
2. Hours: at most {hours_per_day} a day and {hours_per_week} a week, {work_starts_at} to \
{work_ends_at}; {rest_days} rest day(s) a week; no overtime and no night work.
3. Pay: {stipend_en} a month, paid in money to the student every month.
4. Insurance: {insurance_en}
5. Mentors: school mentor {school_mentor}; enterprise mentor {enterprise_mentor}.
6. The enterprise charges the student no deposit, training, management or other fee, and
withholds none of the student's documents.
7. Made under the Provisions on the Internships of Vocational School Students (2021); any
change of terms must be signed again by all three parties.
"""

TEMPLATES = {CURRENT: Template(CURRENT, _ZH, _EN)}


def fill(facts: dict, version: str = CURRENT) -> str:
    """The agreement text (zh, separator, en) of `facts` in template `version`."""
    template = TEMPLATES[version]
    values = {**facts, "template_version": version}
    return template.zh.format(**values) + SEPARATOR + template.en.format(**values)
