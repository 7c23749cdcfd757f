"""Vietnamese personal names, for the privacy screen: surnames, middle names, given names.

Lower-case with diacritics (NFC), as people write them; the screen compares both this form
(when the typed word has diacritics) and the folded one (when it has none). The lists hold
the common names, not every name: the screen also reads names from their context ("em ...",
"tên là ...", a name followed by an age).
"""

from __future__ import annotations


def words_of(text: str) -> tuple[str, ...]:
    """The words of a text block (lists are written as blocks of words)."""
    return tuple(text.split())


SURNAMES: frozenset[str] = frozenset(words_of("""
nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý lí đinh đào đoàn
trịnh mai trương lâm lương lưu hà thái cao quách tạ tô chu kiều la tăng vương diệp thạch
châu danh lữ âu tống kim triệu khúc khổng mạc nông hứa từ văn viên tôn thân giang lạc quan
hầu phùng phương thiều hàn lục vi ninh tiêu đàm ông trình lò lường sầm bế mông sùng giàng
ma mã kha chẩu quàng tòng cầm bạc đèo lộc bàn phàn cà điêu tráng hảng pờ sần lự sơn
vàng thào sình hờ mùa lầu chảo tẩn hạng vừ cứ ksor siu rah rmah nay kpă niê êban mlô byă
hmok rơ rcom
"""))

#: Middle names (and the first part of two-syllable given names) that follow a surname.
MIDDLE_NAMES: frozenset[str] = frozenset(words_of("""
văn thị hữu đức đình công quang minh ngọc thanh xuân thu kim bảo gia hoàng quốc trung tuấn
anh hồng mỹ phương khánh như diệu thành thế trọng tiến việt hải nhật hoài thùy thúy thảo
mạnh duy đăng tấn trí tường hạnh bích cẩm kiều mai lan huyền thiên phúc thái nguyên nhã hoài
ánh tú vân diễm uyên quý đắc bá khắc viết xuân phi trường hà thục
"""))

GIVEN_NAMES: frozenset[str] = frozenset(words_of("""
an anh ánh bảo bích bình cường chi chinh công cúc dân diệp diệu dung dũng duy duyên dương
đạt đào đông đức giang giao hà hải hân hạnh hào hậu hiền hiển hiếu hiệp hòa hoà hoa hoài
hoàng hồng huệ hùng hưng hương hường huy huyền khải khang khánh khoa khôi kiên kiệt kim lâm
lan liên liễu linh loan long luân lực ly lý mai mạnh minh my mỹ na nam nga ngân nghĩa ngọc
nguyên nhàn nhân nhi nhung như oanh phát phong phú phúc phụng phương phượng quân quang quế
quốc quyên quyết quỳnh sang sơn sương tài tâm tân thạch thái thắm thắng thanh thành thảo
thắng thiện thịnh thoa thơ thu thư thuận thương thủy thuỷ thúy thuý tiến tiên tín toàn trâm
trang trí trinh trọng trúc trung tú tuấn tùng tuyết tuyền uyên vân văn vi việt vinh vĩnh vũ
vy xuân yến hằng hậu hiên hiếu khoa kha khuê lộc luận lượng nhật nhẫn phấn quý quyền sáng
sen sinh tài tạo thìn thông thùy toản trường tuân tường ưng vàng vượng ý yên đông điệp đoan
đăng đảm định hảo hằng lành lệ liên lợi mến miên mơ nụ nương phấn thoại thục thùy trà trân
tuệ tươi vẹn xuyến bắc bền bông cảnh chiến chung dịu dự giàu hiệu hợp hưởng kha kỳ lài luyến
lữ mận mẫn na nhài nhị nở phố quy sang sửu tám tẹo tí tý tủn tèo bin bon bống bơ bo su na ni
nu bi tin ti ty
"""))

#: Prefixes of names in the Central Highlands' languages ("Y Bhăm", "H'Hen Niê", "A Sáng").
ETHNIC_PREFIXES: frozenset[str] = frozenset(words_of("""
y h a rơ ksor siu rah nay rmah kpă
"""))
