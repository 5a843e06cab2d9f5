from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.models import Area

from .services import SummaryRequestError, check_request


class SummaryRequestForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    town = forms.ModelChoiceField(
        label=_("镇（街道）"), required=False, empty_label=_("全县"),
        queryset=Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"),
    )
    language = forms.ChoiceField(label=_("语言"), choices=settings.LANGUAGES,
                                 initial=settings.LANGUAGE_CODE, required=False)

    def clean_language(self):
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE  # Chinese unless chosen

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_request(year=data["year"], town=data.get("town"))
        except SummaryRequestError as error:
            raise forms.ValidationError(error.messages) from None
        return data


class PublishForm(forms.Form):
    """The confirmation: the checksum of the file the reviewer was shown."""

    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages={
        "required": _("请先在本页核对报告，再确认发布。")})


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("将与该版本一并公开显示。"),
        error_messages={"required": _("请填写撤回原因。"),
                        "max_length": _("撤回原因不能超过%(limit_value)d个字（现有%(show_value)d个）。")},
    )
