"""Reading the commissions' Word reports ("Báo cáo kết quả thực hiện phong trào thi đua Dân vận
khéo") into rows a person confirms before anything is saved.

The reading rules live here, apart from the database: ``numbers`` (Vietnamese numbers and units
as people write them), ``vocabulary`` (fields, kinds of organisation, units named in words),
``document`` (opening a .docx safely, converting .doc/.odt), ``tables`` (tables of models found
by their headers), ``prose`` (figures in sentences, with the model they talk about) and
``extract`` (a whole report). ``resolve``, ``services`` and ``views`` connect them to the
official lists, the initiatives' services and the review page.
"""
