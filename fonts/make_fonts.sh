#!/usr/bin/env bash
# Rebuilds the bundled fonts in this folder from their published packages.
#
#   NotoSerifSC-Regular-common.ttf  body text (宋体 style), the common characters: GB2312 and the
#                                   symbol blocks (a fontTools subset of the face below)
#   NotoSansSC-Bold-common.ttf      titles, headers (黑体), the same characters
#   NotoSerifSC-Regular.ttf.gz      the whole face, npm @expo-google-fonts/noto-serif-sc 400Regular,
#                                   gzip-compressed: inflated when a document needs a rarer character
#   NotoSansSC-Bold.ttf.gz          the whole face, npm @expo-google-fonts/noto-sans-sc 700Bold, gzip
#   HanaMinB-ExtB.ttf.gz            fallback for CJK Ext-B (U+20000..U+2A6DF), a fontTools subset of
#                                   HanaMinB.ttf from Debian's fonts-hanazono, gzip-compressed
#
# Why the common cuts: printpdf's subsetter reads every glyph record of the face it subsets, so a
# PDF costs in proportion to the face's glyph count; the cuts have 8,000 glyphs where the whole
# faces have 30,000, which makes a seed PDF about twice as fast to write.
#
# The Noto builds are static TrueType-outline (glyf) fonts: printpdf subsets them about twice as
# fast as the CFF faces of Debian's fonts-noto-cjk .ttc (see FACTS.md).
#
# Needs: npm, apt-get + dpkg-deb (Debian), python3 with fontTools (pip install fonttools), gzip.
# Downloads go to ./dl (not committed); KEEP_DL=1 keeps them, DL=dir reuses a folder of them.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
NOTO_VER="${NOTO_VER:-0.4.3}"
DL="${DL:-$HERE/dl}"
mkdir -p "$DL"

# 1. npm tarballs (npm pack downloads the package tarball; nothing is installed)
for fam in noto-serif-sc noto-sans-sc; do
  tgz="$DL/expo-google-fonts-${fam}-${NOTO_VER}.tgz"
  [ -f "$tgz" ] || (cd "$DL" && npm pack "@expo-google-fonts/${fam}@${NOTO_VER}" >/dev/null)
  rm -rf "$DL/$fam" && mkdir -p "$DL/$fam"
  tar xzf "$tgz" -C "$DL/$fam" package/400Regular package/700Bold package/LICENSE_FONT
done
cp "$DL/noto-serif-sc/package/400Regular/NotoSerifSC_400Regular.ttf" NotoSerifSC-Regular.ttf
cp "$DL/noto-sans-sc/package/700Bold/NotoSansSC_700Bold.ttf" NotoSansSC-Bold.ttf

# 2. Debian package (apt-get download fetches the .deb only; nothing is installed)
deb=$(ls "$DL"/fonts-hanazono_*_all.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
  (cd "$DL" && apt-get download fonts-hanazono 2>/dev/null) || { apt-get update -qq && (cd "$DL" && apt-get download fonts-hanazono); }
  deb=$(ls "$DL"/fonts-hanazono_*_all.deb | head -1)
fi
rm -rf "$DL/hanazono" && mkdir -p "$DL/hanazono" && dpkg-deb -x "$deb" "$DL/hanazono"

# 3. Common-character cuts of the Noto faces, the Ext-B subset of HanaMinB, and the licence files
DL="$DL" python3 - <<'PY'
import os, re
from fontTools import subset
from fontTools.ttLib import TTFont
dl = os.environ["DL"]

def common_unicodes():
    chars = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([b1, b2]).decode('gb2312')))
            except UnicodeDecodeError:
                pass
    blocks = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F),
              (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x25FF),
              (0x2600, 0x26FF), (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]
    for lo, hi in blocks:
        chars.update(range(lo, hi + 1))
    return sorted(chars)

copts = subset.Options()
copts.layout_features = []      # gongkai places glyphs itself: no GSUB/GPOS needed
copts.name_IDs = ['*']; copts.name_languages = ['*']
copts.notdef_outline = True
copts.hinting = False
for src, dst in (('NotoSerifSC-Regular.ttf', 'NotoSerifSC-Regular-common.ttf'),
                 ('NotoSansSC-Bold.ttf', 'NotoSansSC-Bold-common.ttf')):
    f = TTFont(src)
    f.recalcTimestamp = False  # keep head.modified: same bytes on every run
    s = subset.Subsetter(copts); s.populate(unicodes=common_unicodes()); s.subset(f)
    f.save(dst)

opts = subset.Options()
opts.layout_features = []          # CJK ideographs need no GSUB/GPOS features
opts.name_IDs = ['*']; opts.name_languages = ['*']
opts.notdef_outline = True
f = TTFont(f'{dl}/hanazono/usr/share/fonts/truetype/hanazono/HanaMinB.ttf')
f.recalcTimestamp = False  # keep head.modified: same bytes on every run
s = subset.Subsetter(opts); s.populate(unicodes=range(0x20000, 0x2A6E0)); s.subset(f)
f.save('HanaMinB-ExtB.ttf')

def ofl_body(path):
    t = open(path, encoding='utf-8').read()
    return t[t.index('This Font Software is licensed'):]
for fam, fn, face in (('noto-serif-sc', 'NotoSerifSC', 'Regular'), ('noto-sans-sc', 'NotoSansSC', 'Bold')):
    cr = TTFont(f'{fn}-{face}.ttf', lazy=True)['name'].getDebugName(0)
    cr = re.sub(r'^\(c\)', 'Copyright (c)', cr)
    open(f'OFL-{fn}.txt', 'w', encoding='utf-8').write(
        f"{cr}\n(Copyright notice as in the font's name table, nameID 0; font: {fn}-{face}.ttf)\n\n"
        + ofl_body(f'{dl}/{fam}/package/LICENSE_FONT'))
t = open(f'{dl}/hanazono/usr/share/doc/fonts-hanazono/copyright', encoding='utf-8').read()
open('LICENSE-HanaMinB.txt', 'w', encoding='utf-8').write(
    "HanaMinB-ExtB.ttf(.gz) is a subset (U+20000..U+2A6DF, made with fontTools) of HanaMinB.ttf from the\n"
    "Debian package fonts-hanazono 20170904, which is licensed 'Hanazono-Font-License or\n"
    "Open-Font-License' (the recipient may choose). A subset is a modified version; under the OFL\n"
    "option 'HanaMinB' is a Reserved Font Name that a modified version may not use, so this file,\n"
    "which keeps the name, is redistributed under the Hanazono Font License option (\"Unlimited\n"
    "permission is granted to use, copy, and distribute it, with or without modification\").\n"
    "Copyright 2008, 2009, 2010, 2011 GlyphWiki Project. The Debian copyright file follows.\n\n" + t)
PY
# -n: no name or time stamp in the gzip header, so the file is the same on every run
gzip -9 -n -f HanaMinB-ExtB.ttf NotoSerifSC-Regular.ttf NotoSansSC-Bold.ttf
[ "${KEEP_DL:-0}" = 1 ] || [ "$DL" != "$HERE/dl" ] || rm -rf "$DL"
ls -l
