"""The organizations spreadsheet: one column list shared by the admin's export and the bulk
import, so that an export imported back changes nothing.

Each column: (Chinese header, what it holds). The import parses these headers; the export writes
them in this order.
"""

ORGANIZATION_COLUMNS = [
    ("社会组织名称", "name"),
    ("统一社会信用代码", "credit_code"),
    ("备案编号", "filing_number"),
    ("登记/备案", "registered or filed: 登记 / 备案, from the legal form"),
    ("组织类型", "legal_form, by its Chinese label (社会团体 / 社会服务机构 / 基金会 / 社区社会组织)"),
    ("登记管理机关", "registration_authority"),
    ("业务主管单位", "supervising_unit, by department name"),
    ("法定代表人", "legal_representative"),
    ("成立日期", "founded_on"),
    ("登记日期", "date of the registered / filed status event"),
    ("所属镇街", "town, by name"),
    ("村社区", "village, by name"),
    ("住所", "address"),
    ("业务范围", "business_scope"),
    ("服务领域", "service_fields, names joined by 、"),
    ("联系电话", "contact_phone (private: staff spreadsheets only, never public downloads)"),
    ("登记状态", "current status, by its Chinese label"),
]

ORGANIZATION_HEADERS = [header for header, _ in ORGANIZATION_COLUMNS]
SERVICE_FIELD_SEPARATOR = "、"
