"""taxonomy vocabularies from domain.md, English and Chinese labels

Revision ID: 0002_taxonomy_seed
Revises: 0001_foundation
Create Date: 2026-11-22 04:10:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002_taxonomy_seed"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

# Frozen here on purpose: later changes come in new migrations or from coordinators.
SEED = {
    "job-categories": [
        ("marketing", "Marketing (promotion, customer service, logistics)", "营销类（推广、客服、物流）"),
        ("technical", "Technical (platform building, web design, content)", "技术类（平台搭建、网页设计、内容）"),
        ("management", "Management (planning and operations)", "管理类（电商策划与运营管理）"),
        ("procurement", "Procurement and sourcing", "采购与选品"),
        ("data", "Data analysis", "数据分析"),
        ("other", "Other", "其他"),
    ],
    "majors": [
        ("e-commerce", "E-commerce", "电子商务"),
        ("foreign-languages", "Foreign languages", "外语"),
        ("international-business", "International business", "国际商务"),
        ("product-related", "Product-related majors", "产品相关专业"),
        ("international-economics-trade", "International economics and trade", "国际经济与贸易"),
        ("marketing", "Marketing", "市场营销"),
        ("logistics-management", "Logistics management", "物流管理"),
        ("computer-science", "Computer science", "计算机科学"),
    ],
    "competencies": [
        ("marketing", "Marketing", "营销能力"),
        ("platform-operation", "Cross-border platform operation", "跨境平台运营"),
        ("cross-cultural-communication", "Cross-cultural communication", "跨文化沟通"),
        ("english", "English (oral and written)", "英语（口语与书面）"),
        ("international-logistics", "International logistics", "国际物流"),
        ("data-analysis", "Data analysis", "数据分析"),
        ("ai-tools", "AI tool use", "AI工具应用"),
        ("minor-languages", "Minor languages", "小语种"),
        ("product-sourcing", "Product sourcing", "选品与采购"),
        ("customer-service", "Customer service", "客户服务"),
        ("content-creation", "Content creation", "内容创作"),
    ],
    "qualities": [
        ("professional-ethics", "Professional ethics", "职业道德"),
        ("honesty", "Honesty and trustworthiness", "诚实守信"),
        ("business-etiquette", "Business etiquette", "商务礼仪"),
        ("interpersonal-skills", "Interpersonal skills", "人际交往能力"),
        ("language-communication", "Language communication", "语言沟通能力"),
        ("text-editing", "Text editing", "文字编辑能力"),
        ("self-learning", "Self-learning", "自主学习能力"),
        ("innovation", "Innovation", "创新能力"),
        ("organization-coordination", "Organization and coordination", "组织协调能力"),
        ("teamwork", "Teamwork", "团队合作"),
    ],
    "training-needs": [
        ("platform-operation", "Platform operation", "平台操作"),
        ("enterprise-management", "E-commerce enterprise management", "电商企业管理"),
        ("ecommerce-technology", "E-commerce technology", "电子商务技术"),
        ("internet-marketing", "Internet marketing", "网络营销"),
        ("other", "Other", "其他"),
    ],
    "training-channels": [
        ("higher-education", "Higher education", "高等院校"),
        ("in-company", "In-company training", "企业内部培训"),
        ("commercial-training", "Commercial training organizations", "商业培训机构"),
        ("online-platform", "Online platforms", "网络平台"),
    ],
    "cooperation-modes": [
        ("internship-employment", "Internship and employment", "实习与就业"),
        ("lectures", "Lectures for students", "企业讲座"),
        ("co-developed-courses", "Co-developed courses", "共建课程"),
        ("joint-teaching", "Joint teaching", "联合教学"),
        ("joint-training-bases", "Joint training bases", "共建实训基地"),
        ("joint-competitions", "Joint competitions", "联合举办竞赛"),
    ],
    "languages": [
        ("en", "English", "英语"),
        ("es", "Spanish", "西班牙语"),
        ("ru", "Russian", "俄语"),
        ("ar", "Arabic", "阿拉伯语"),
        ("pt", "Portuguese", "葡萄牙语"),
        ("fr", "French", "法语"),
        ("de", "German", "德语"),
        ("ja", "Japanese", "日语"),
        ("ko", "Korean", "韩语"),
        ("th", "Thai", "泰语"),
        ("vi", "Vietnamese", "越南语"),
        ("id", "Indonesian", "印尼语"),
        ("ms", "Malay", "马来语"),
        ("tr", "Turkish", "土耳其语"),
        ("it", "Italian", "意大利语"),
        ("pl", "Polish", "波兰语"),
        ("zh", "Chinese", "中文"),
    ],
    "districts": [
        ("yuexiu", "Yuexiu", "越秀区"),
        ("haizhu", "Haizhu", "海珠区"),
        ("liwan", "Liwan", "荔湾区"),
        ("tianhe", "Tianhe", "天河区"),
        ("baiyun", "Baiyun", "白云区"),
        ("huangpu", "Huangpu", "黄埔区"),
        ("panyu", "Panyu", "番禺区"),
        ("huadu", "Huadu", "花都区"),
        ("nansha", "Nansha", "南沙区"),
        ("conghua", "Conghua", "从化区"),
        ("zengcheng", "Zengcheng", "增城区"),
    ],
    "platforms": [
        ("amazon", "Amazon", "亚马逊"),
        ("aliexpress", "AliExpress", "速卖通"),
        ("ebay", "eBay", "易贝"),
        ("shopee", "Shopee", "虾皮"),
        ("lazada", "Lazada", "来赞达"),
        ("tiktok-shop", "TikTok Shop", "TikTok Shop"),
        ("temu", "Temu", "Temu"),
        ("shein", "SHEIN", "希音"),
        ("alibaba-com", "Alibaba.com", "阿里巴巴国际站"),
        ("own-site", "Own website", "独立站"),
        ("other", "Other", "其他"),
    ],
    "enterprise-sizes": [
        ("micro", "Micro", "微型"),
        ("small", "Small", "小型"),
        ("medium", "Medium", "中型"),
        ("large", "Large", "大型"),
    ],
    "university-levels": [
        ("undergraduate", "Undergraduate", "本科"),
        ("vocational", "Vocational", "高职"),
    ],
    "certificate-levels": [
        ("junior", "Junior", "初级"),
        ("intermediate", "Intermediate", "中级"),
        ("senior", "Senior", "高级"),
    ],
}

items = sa.table(
    "taxonomy_items",
    sa.column("vocabulary", sa.String),
    sa.column("code", sa.String),
    sa.column("name_en", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("position", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade():
    now = datetime.now(UTC)
    rows = [
        {"vocabulary": vocab, "code": code, "name_en": en, "name_zh": zh,
         "position": pos, "created_at": now}
        for vocab, entries in SEED.items()
        for pos, (code, en, zh) in enumerate(entries)
    ]
    op.bulk_insert(items, rows)


def downgrade():
    for vocab, entries in SEED.items():
        op.execute(
            items.delete().where(
                items.c.vocabulary == vocab, items.c.code.in_([c for c, _, _ in entries])
            )
        )
