#!/usr/bin/python3
"""tests/data/xlsx/make_xlsx.py — writes the XLSX test workbooks from XML text.

Usage: make_xlsx.py OUTDIR [SHARED_DATA_DIR]

Writes, with the standard library's zipfile (no opaque binaries in the repository):
  OUTDIR/seeds/*.xlsx   small valid workbooks (the CLI cases use official.xlsx)
  OUTDIR/fuzz/*         the seeds with an option byte in front: the seed corpus of
                        tests/fuzz/fuzz_xlsx.c
  OUTDIR/bad/*          broken or hostile workbooks for tests/data/bad/run.sh, each with
                        NAME.expected (the exact messages of `qala import`) and, where
                        needed, NAME.args
  OUTDIR/bns/region-population-2023.xlsx
                        the BNS population table of 1 January 2023 (real figures from
                        SHARED_DATA_DIR/kz/region_population_2023-01-01.csv, Bureau of
                        National Statistics via open-data-kazakhstan, PDDL) laid out as
                        BNS publishes its tables: a title, a unit line, years over
                        "Всего / мужчины / женщины", a footnote. Only when the CSV exists.
"""
import csv
import io
import os
import sys
import zipfile

NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
NSR = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
RT = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def col_name(j):
    s = ''
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet(rows, merges=(), doctype=''):
    """rows: {row number: [cell, ...]}; a cell is None, a number, a str (inline string),
    ('s', index), ('n', number, style) or ('str', text, style)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', doctype,
           f'<worksheet xmlns="{NS}" xmlns:r="{NSR}"><sheetData>']
    for r in sorted(rows):
        out.append(f'<row r="{r}">')
        for j, c in enumerate(rows[r]):
            ref = f'{col_name(j)}{r}'
            if c is None:
                continue
            if isinstance(c, tuple) and c[0] == 's':
                out.append(f'<c r="{ref}" t="s"><v>{c[1]}</v></c>')
            elif isinstance(c, tuple) and c[0] == 'n':
                out.append(f'<c r="{ref}" s="{c[2]}"><v>{c[1]}</v></c>')
            elif isinstance(c, tuple) and c[0] == 'str':
                out.append(f'<c r="{ref}" t="inlineStr" s="{c[2]}"><is><t xml:space="preserve">{esc(c[1])}</t></is></c>')
            elif isinstance(c, (int, float)):
                out.append(f'<c r="{ref}"><v>{c}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{esc(c)}</t></is></c>')
        out.append('</row>')
    out.append('</sheetData>')
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">' + ''.join(f'<mergeCell ref="{m}"/>' for m in merges) + '</mergeCells>')
    out.append('</worksheet>')
    return ''.join(out)


STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">'
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy"/></numFmts>'
          '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="0" applyAlignment="1"><alignment indent="1"/></xf>'
          '<xf numFmtId="164"/><xf numFmtId="3"/></cellXfs></styleSheet>')


def book(path, sheets, sst=None, date1904=False, extra=None, compress=zipfile.ZIP_DEFLATED):
    """sheets: [(name, xml)]; sst: list of strings (or raw <si> XML) or None."""
    wb = [f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{NSR}">',
          '<workbookPr date1904="1"/><sheets>' if date1904 else '<workbookPr/><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    parts = {}
    for i, (name, xml) in enumerate(sheets, 1):
        wb.append(f'<sheet name="{esc(name)}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{RT}worksheet" Target="worksheets/sheet{i}.xml"/>')
        parts[f'xl/worksheets/sheet{i}.xml'] = xml
    wb.append('</sheets></workbook>')
    rels.append(f'<Relationship Id="rId90" Type="{RT}styles" Target="styles.xml"/>')
    parts['xl/styles.xml'] = STYLES
    if sst is not None:
        rels.append(f'<Relationship Id="rId91" Type="{RT}sharedStrings" Target="sharedStrings.xml"/>')
        items = ''.join(s if s.startswith('<si>') else f'<si><t xml:space="preserve">{esc(s)}</t></si>' for s in sst)
        parts['xl/sharedStrings.xml'] = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">{items}</sst>'
    rels.append('</Relationships>')
    parts['xl/workbook.xml'] = ''.join(wb)
    parts['xl/_rels/workbook.xml.rels'] = ''.join(rels)
    parts['_rels/.rels'] = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
                            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            f'<Relationship Id="rId1" Type="{RT}officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts['[Content_Types].xml'] = ('<?xml version="1.0" encoding="UTF-8"?><Types '
                                    'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                    '<Default Extension="xml" ContentType="application/xml"/></Types>')
    if extra:
        parts.update(extra)
    with zipfile.ZipFile(path, 'w', compress) as z:
        for name in ['[Content_Types].xml', '_rels/.rels'] + sorted(k for k in parts if k not in ('[Content_Types].xml', '_rels/.rels')):
            z.writestr(name, parts[name])


NOTHING = 'qala: errors found: the database was not changed'


def seeds(out):
    os.makedirs(out, exist_ok=True)
    book(f'{out}/official.xlsx', [('Население', sheet({
        1: ['Численность населения по регионам'],
        2: ['человек'],
        3: ['Регион', 2022, None, None, 2023],
        4: [None, 'Всего', 'мужчины', 'женщины', 'Всего', 'мужчины', 'женщины'],
        5: [('s', 0), ('n', 1500, 3), 700, 800, 1510, 705, 805],
        6: ['в том числе:'],
        7: [('str', 'KZ-KAR', 1), 1000.5, None, None, 1010],
        9: ['* оценка'],
    }, merges=['A1:G1', 'A3:A4', 'B3:D3', 'E3:G3']))], sst=['<si><r><t>Республика </t></r><r><t>Казахстан</t></r></si>'])
    book(f'{out}/keyed.xlsx', [('Data', sheet({
        1: ['unit', 'population', None, 'unemployment_rate_pct'],
        2: [None, 2021, 2022, 2022],
        3: ['KZ-KAR', 1100000, 1120000, 4.5],
    }, merges=['B1:C1', 'A1:A2']))])
    book(f'{out}/long-1904.xlsx', [('Long', sheet({
        1: ['unit', 'indicator', 'period', 'value', 'date'],
        2: ['KZ-KAR', 'population', '2022', 1134753, ('n', 43465, 2)],
        3: ['Астана', 'population', '2022-Q1', 1354435.5, ('n', 0, 2)],
    }))], date1904=True)
    book(f'{out}/two-sheets.xlsx', [('Notes', sheet({1: ['notes only']})),
                                    ('Wide', sheet({1: ['', 'population', 'population_male'],
                                                    2: ['Karaganda Region', 1134753, 542936]}))])


def bad(out):
    os.makedirs(out, exist_ok=True)
    cases = {}

    def expect(name, *lines, args=None):
        with open(f'{out}/{name}.expected', 'w') as f:
            f.write(''.join(l + '\n' for l in lines + (NOTHING,)))
        if args:
            with open(f'{out}/{name}.args', 'w') as f:
                f.write(args + '\n')

    with open(f'{out}/not-a-zip.xlsx', 'w') as f:
        f.write('unit,indicator,period,value\nKZ-KAR,population,2022,1\n')
    expect('not-a-zip.xlsx', 'not-a-zip.xlsx: error: not an XLSX workbook: not a zip archive')

    with zipfile.ZipFile(f'{out}/zip-without-workbook.xlsx', 'w') as z:
        z.writestr('hello.txt', 'hello')
    expect('zip-without-workbook.xlsx', 'zip-without-workbook.xlsx: error: not an XLSX workbook: no part xl/workbook.xml')

    book(f'{out}/missing-sheet.xlsx', [('Data', sheet({1: ['unit', 2022], 2: ['KZ-KAR', 1]}))])
    expect('missing-sheet.xlsx', 'missing-sheet.xlsx: error: no sheet "Wages": the workbook has "Data" (or give a number from 1 to 1)',
           args='--sheet Wages --indicator population')

    xml = sheet({1: ['unit', 2022], 2: ['KZ-KAR', 1]}).replace('<v>1</v></c></row>', '<v>1</v></row>', 1)
    book(f'{out}/bad-xml.xlsx', [('Data', xml)])
    column = xml.index('<v>1</v></row>') + len('<v>1</v></') + 1  # expat points at the stray end tag's name
    expect('bad-xml.xlsx', f'bad-xml.xlsx:1:{column}: error: bad XML in part xl/worksheets/sheet1.xml: mismatched tag',
           args='--indicator population')

    row = '<row><c><v>0</v></c></row>'
    big = f'<worksheet xmlns="{NS}"><sheetData>' + row * ((64 << 20) // len(row)) + '</sheetData></worksheet>'
    book(f'{out}/zip-bomb.xlsx', [('Data', big)])
    size = len(big.encode())
    with zipfile.ZipFile(f'{out}/zip-bomb.xlsx') as z:
        comp = z.getinfo('xl/worksheets/sheet1.xml').compress_size
    expect('zip-bomb.xlsx', f'zip-bomb.xlsx: error: part xl/worksheets/sheet1.xml would expand {size // comp} times '
           f'({size} bytes from {comp}): refused as a zip bomb (the limit is 200 times)')

    doctype = '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">]>'
    book(f'{out}/doctype-entities.xlsx', [('Data', sheet({1: ['unit', 2022], 2: ['&a;', 1]}, doctype=doctype).replace('&amp;a;', '&a;'))])
    expect('doctype-entities.xlsx', 'doctype-entities.xlsx: error: part xl/worksheets/sheet1.xml has a DOCTYPE: not allowed in XLSX')

    book(f'{out}/missing-shared-string.xlsx', [('Data', sheet({1: ['unit', 2022], 2: [('s', 5), 1]}))], sst=['a'])
    expect('missing-shared-string.xlsx', 'missing-shared-string.xlsx:2:1: error: cell A2 refers to shared string "5", but the workbook has 1',
           args='--indicator population')

    with open(f'{out}/old-excel.xls', 'wb') as f:
        f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b'\0' * 504)
    expect('old-excel.xls', 'old-excel.xls: error: an Excel 97-2003 (.xls) file or an encrypted workbook: save it as .xlsx')

    book(f'{out}/not-a-number.xlsx', [('Data', sheet({
        1: ['Population, persons'], 2: ['Region', 2021, 2022],
        3: ['Karaganda Region', 1131000, 'n.d.'], 4: ['Astana city', 1350000, 1354435]}))])
    expect('not-a-number.xlsx', 'not-a-number.xlsx:3:3: error: "n.d." is not a number: expected digits with an optional sign, '
           'decimal mark and thousands separators, or a missing-value marker such as "-"', args='--indicator population')


def bns(out, shared):
    src = os.path.join(shared, 'kz', 'region_population_2023-01-01.csv')
    if not os.path.exists(src):
        return
    os.makedirs(out, exist_ok=True)
    with open(src, newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: r['Region'] != 'The Republic of Kazakhstan')
    table = {1: ['Численность населения Республики Казахстан по регионам на 1 января 2023 года'],
             2: ['человек'],
             4: [None, 2023],
             5: [None, 'Всего', 'мужчины', 'женщины']}
    for i, r in enumerate(rows):
        name = r['Region'] if i == 0 else ('str', r['Region'], 1)
        table[6 + i] = [name, ('n', int(r['Total']), 3), ('n', int(r['Males']), 3), ('n', int(r['Females']), 3)]
    n = 6 + len(rows)
    table[n + 1] = ['Источник: Бюро национальной статистики АСПиР РК (stat.gov.kz), через open-data-kazakhstan (PDDL)']
    book(f'{out}/region-population-2023.xlsx',
         [('Население', sheet(table, merges=['A1:D1', 'A4:A5', 'B4:D4']))])


def fuzz_seeds(seeds, out):
    """The seeds with option bytes in front (tests/fuzz/fuzz_xlsx.c): 1 header row,
    2 header rows with a fixed indicator, the second sheet."""
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(seeds)):
        with open(os.path.join(seeds, name), 'rb') as f:
            data = f.read()
        # the same parts stored uncompressed, so that mutations reach the XML
        stored = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stored, 'w', zipfile.ZIP_STORED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info.filename))
        for opt in (0x01, 0x22, 0x11):
            for kind, body in (('deflated', data), ('stored', stored.getvalue())):
                with open(os.path.join(out, f'{name}.{kind}.{opt:02x}'), 'wb') as f:
                    f.write(bytes([opt]) + body)


def main():
    out = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'shared', 'data')
    seeds(os.path.join(out, 'seeds'))
    bad(os.path.join(out, 'bad'))
    bns(os.path.join(out, 'bns'), shared)
    fuzz_seeds(os.path.join(out, 'seeds'), os.path.join(out, 'fuzz'))


if __name__ == '__main__':
    main()
