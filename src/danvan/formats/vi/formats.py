# Vietnamese writes a day as 05/12/2026 (as ``danvan.core.formats`` does) or in words, in
# lower case inside a sentence: "18:25 ngày 05 tháng 12 năm 2026". Django's own module writes
# 05-12-2026 and "Ngày" with a capital.
DATE_FORMAT = r"\n\g\à\y d \t\h\á\n\g n \n\ă\m Y"
DATETIME_FORMAT = r"H:i \n\g\à\y d \t\h\á\n\g n \n\ă\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = r"H:i \n\g\à\y d/m/Y"
