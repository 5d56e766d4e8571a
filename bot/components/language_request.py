"""Which language a buyer asks for: "can we speak English?", "en español por favor".

Pure. The intent classifier tells *that* the buyer asks to switch
(``switch_language``); this finds *which* language, named in any of the
served languages (plus a few languages we do not serve, so the buyer hears
that we cannot rather than nothing).
"""

from __future__ import annotations

import re

from bot.components.language_id import strip_accents

# Names as buyers type them: lower case, unaccented.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "ingles", "inglesa", "anglais", "anglaise", "englisch", "inglese",
        "engels", "英语", "英文"),
    "es": ("spanish", "espanol", "espanola", "castellano", "espagnol", "espagnole", "spanisch",
        "spagnolo", "spagnola", "espanhol", "spaans", "西班牙语", "西班牙文"),
    "fr": ("french", "frances", "francesa", "francais", "francaise", "franzosisch",
        "franzoesisch", "francese", "frans", "法语", "法文"),
    "de": ("german", "aleman", "alemana", "allemand", "allemande", "deutsch", "tedesco",
        "tedesca", "alemao", "alema", "duits", "德语", "德文"),
    "it": ("italian", "italiano", "italiana", "italien", "italienne", "italienisch",
        "italiaans", "意大利语", "意大利文"),
    "pt": ("portuguese", "portugues", "portuguesa", "portugais", "portugaise", "portugiesisch",
        "portoghese", "portugees", "葡萄牙语", "葡萄牙文", "葡语"),
    "nl": ("dutch", "holandes", "holandesa", "neerlandes", "neerlandais", "neerlandaise",
        "hollandais", "niederlandisch", "hollandisch", "olandese", "nederlands", "hollands",
        "vlaams", "flemish", "荷兰语", "荷兰文"),
    "zh": ("chinese", "mandarin", "chino", "china", "chinois", "chinoise", "chinesisch",
        "cinese", "chines", "chinesa", "chinees", "中文", "汉语", "普通话", "华语", "国语"),
    # Not served by default, but asked for.
    "ja": ("japanese", "japones", "japonais", "japanisch", "giapponese", "japans", "日语"),
    "ru": ("russian", "ruso", "russe", "russisch", "russo", "俄语"),
    "pl": ("polish", "polaco", "polonais", "polnisch", "polacco", "polones", "pools"),
    "tr": ("turkish", "turco", "turc", "turkisch", "turks", "土耳其语"),
    "ar": ("arabic", "arabe", "arabisch", "arabo", "阿拉伯语"),
    "ko": ("korean", "coreano", "coreen", "koreanisch", "koreaans", "韩语"),
    "sv": ("swedish", "sueco", "suedois", "schwedisch", "svedese", "zweeds"),
}

_NAME_TO_CODE = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}
_LATIN_NAME = re.compile(r"[a-z]+")


def requested_language(text: str) -> str | None:
    """The language named in ``text``; the last one named wins ("not German, English")."""
    lowered = strip_accents(text.lower())
    found: list[tuple[int, str]] = []
    for match in _LATIN_NAME.finditer(lowered):
        code = _NAME_TO_CODE.get(match.group(0))
        if code:
            found.append((match.start(), code))
    for name, code in _NAME_TO_CODE.items():
        if not name.isascii():
            position = lowered.find(name)
            if position >= 0:
                found.append((position, code))
    return max(found)[1] if found else None
