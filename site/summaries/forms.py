from django import forms

from registry.models import Area

from .services import SummaryRequestError, check_request


class SummaryRequestForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    town = forms.ModelChoiceField(
        label="镇（街道）", required=False, empty_label="全县",
        queryset=Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_request(year=data["year"], town=data.get("town"))
        except SummaryRequestError as error:
            raise forms.ValidationError(error.messages) from None
        return data
