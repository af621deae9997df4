"""The secretary's desk: `kansli serve`, a local web form over one folder of meeting files.

The JSON files stay the source of truth; the form reads them, writes them back as the examples
look (`jsontext.dumps`), checks them with the same functions as `kansli check` and shows the
current stage's PDF as page images. Nothing here is imported by `kansli --help`.
"""
