"""The CJK font the PDFs are set in, found before rendering so a missing font is reported,
never turned into a PDF of empty boxes."""

import shutil
import subprocess

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

CJK_FAMILY = "Noto Sans CJK SC"
ACCEPTED_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN")


class MissingFontError(ImproperlyConfigured):
    pass


def find_cjk_font():
    """The family name of an installed Simplified-Chinese font we embed, or raise MissingFontError."""
    if shutil.which("fc-list") is None:
        raise MissingFontError(_("未找到 fontconfig（fc-list），无法确认中文字体；请安装 fontconfig 与 fonts-noto-cjk。"))
    listing = subprocess.run(
        ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False
    ).stdout
    families = {name.strip() for line in listing.splitlines() for name in line.split(",")}
    for family in ACCEPTED_FAMILIES:
        if family in families:
            return family
    raise MissingFontError(_(
        "未安装中文字体（Noto Sans CJK SC 或 Source Han Sans SC），无法生成PDF；"
        "请安装 Debian 软件包 fonts-noto-cjk 后重试。"
    ))
