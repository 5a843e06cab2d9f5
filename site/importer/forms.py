from django import forms
from django.core.exceptions import ValidationError

from .engine import max_upload_bytes
from .readers import EXTENSIONS, megabytes


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="导入类别")
    file = forms.FileField(label="文件", max_length=255)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.name, kind.label) for kind in kinds]
        self.fields["file"].help_text = (
            f"Excel工作簿（.xlsx）或CSV文件（.csv），不超过{megabytes(max_upload_bytes())}；"
            "第一行为表头，列名见导入模板。"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            # Refused before reading it: the same message the engine gives.
            raise ValidationError(
                f"文件“{upload.name}”大小为{megabytes(upload.size)}，超过了上限{megabytes(limit)}。"
                "请把文件拆分成几个较小的文件分别导入。"
            )
        if not upload.name.lower().endswith(EXTENSIONS):
            raise ValidationError(
                f"文件“{upload.name}”不是可导入的表格文件。请上传Excel工作簿（.xlsx）或CSV文件（.csv）；"
                "旧版Excel文件（.xls）请先在Excel中“另存为”.xlsx。"
            )
        return upload
