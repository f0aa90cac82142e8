"""GB/T 2260 administrative division codes a destination's location may name.

The 31 provinces (with Hong Kong, Macao and Taiwan, where graduates of the Greater Bay Area
also go), Guangdong's 21 prefecture-level cities, and Guangzhou's 11 districts. A location is
one six-digit code; "retained in Guangzhou" means Guangzhou's city code or one of its
districts. Names follow the published code table (zh) with their usual English names.
"""

from __future__ import annotations

PROVINCES: dict[str, tuple[str, str]] = {
    "110000": ("北京市", "Beijing"),
    "120000": ("天津市", "Tianjin"),
    "130000": ("河北省", "Hebei"),
    "140000": ("山西省", "Shanxi"),
    "150000": ("内蒙古自治区", "Inner Mongolia"),
    "210000": ("辽宁省", "Liaoning"),
    "220000": ("吉林省", "Jilin"),
    "230000": ("黑龙江省", "Heilongjiang"),
    "310000": ("上海市", "Shanghai"),
    "320000": ("江苏省", "Jiangsu"),
    "330000": ("浙江省", "Zhejiang"),
    "340000": ("安徽省", "Anhui"),
    "350000": ("福建省", "Fujian"),
    "360000": ("江西省", "Jiangxi"),
    "370000": ("山东省", "Shandong"),
    "410000": ("河南省", "Henan"),
    "420000": ("湖北省", "Hubei"),
    "430000": ("湖南省", "Hunan"),
    "440000": ("广东省", "Guangdong"),
    "450000": ("广西壮族自治区", "Guangxi"),
    "460000": ("海南省", "Hainan"),
    "500000": ("重庆市", "Chongqing"),
    "510000": ("四川省", "Sichuan"),
    "520000": ("贵州省", "Guizhou"),
    "530000": ("云南省", "Yunnan"),
    "540000": ("西藏自治区", "Tibet"),
    "610000": ("陕西省", "Shaanxi"),
    "620000": ("甘肃省", "Gansu"),
    "630000": ("青海省", "Qinghai"),
    "640000": ("宁夏回族自治区", "Ningxia"),
    "650000": ("新疆维吾尔自治区", "Xinjiang"),
    "710000": ("台湾省", "Taiwan"),
    "810000": ("香港特别行政区", "Hong Kong"),
    "820000": ("澳门特别行政区", "Macao"),
}

GUANGZHOU = "440100"

GUANGDONG_CITIES: dict[str, tuple[str, str]] = {
    GUANGZHOU: ("广州市", "Guangzhou"),
    "440200": ("韶关市", "Shaoguan"),
    "440300": ("深圳市", "Shenzhen"),
    "440400": ("珠海市", "Zhuhai"),
    "440500": ("汕头市", "Shantou"),
    "440600": ("佛山市", "Foshan"),
    "440700": ("江门市", "Jiangmen"),
    "440800": ("湛江市", "Zhanjiang"),
    "440900": ("茂名市", "Maoming"),
    "441200": ("肇庆市", "Zhaoqing"),
    "441300": ("惠州市", "Huizhou"),
    "441400": ("梅州市", "Meizhou"),
    "441500": ("汕尾市", "Shanwei"),
    "441600": ("河源市", "Heyuan"),
    "441700": ("阳江市", "Yangjiang"),
    "441800": ("清远市", "Qingyuan"),
    "441900": ("东莞市", "Dongguan"),
    "442000": ("中山市", "Zhongshan"),
    "445100": ("潮州市", "Chaozhou"),
    "445200": ("揭阳市", "Jieyang"),
    "445300": ("云浮市", "Yunfu"),
}

# Guangzhou's districts, with the `districts` vocabulary's code of each (organizations'
# `district`), so a report can put a destination next to the alliance's own geography.
GUANGZHOU_DISTRICTS: dict[str, tuple[str, str, str]] = {
    "440103": ("荔湾区", "Liwan", "liwan"),
    "440104": ("越秀区", "Yuexiu", "yuexiu"),
    "440105": ("海珠区", "Haizhu", "haizhu"),
    "440106": ("天河区", "Tianhe", "tianhe"),
    "440111": ("白云区", "Baiyun", "baiyun"),
    "440112": ("黄埔区", "Huangpu", "huangpu"),
    "440113": ("番禺区", "Panyu", "panyu"),
    "440114": ("花都区", "Huadu", "huadu"),
    "440115": ("南沙区", "Nansha", "nansha"),
    "440117": ("从化区", "Conghua", "conghua"),
    "440118": ("增城区", "Zengcheng", "zengcheng"),
}

# code -> (zh, en): every code a destination may name.
REGIONS: dict[str, tuple[str, str]] = {
    **PROVINCES,
    **GUANGDONG_CITIES,
    **{code: (zh, en) for code, (zh, en, _) in GUANGZHOU_DISTRICTS.items()},
}

# A destination located here stayed in Guangzhou.
IN_GUANGZHOU: frozenset[str] = frozenset({GUANGZHOU, *GUANGZHOU_DISTRICTS})


def region_name(code: str | None) -> dict | None:
    """`{code, name_zh, name_en}` of a known code, else None."""
    if code is None or code not in REGIONS:
        return None
    zh, en = REGIONS[code]
    return {"code": code, "name_zh": zh, "name_en": en}
