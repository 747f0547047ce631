/**
 * Placeholder captions: text that cameras, phones, scanners and imaging tools write into a
 * photo's description or title (EXIF/TIFF ImageDescription, IPTC Caption-Abstract and
 * ObjectName, XMP dc:description and dc:title) when nobody wrote one. Such text says nothing
 * about the picture; as a caption item it would only pull unrelated photos into text searches.
 *
 * Sources of the list: values seen in real files (EXIF ImageDescription of Olympus, Sony, Kodak,
 * Minolta, Samsung and Casio cameras; "AppleMark" from Apple's scanning and preview software),
 * and the lists other photo tools keep for the same purpose: PhotoPrism's `UnwantedDescriptions`
 * (internal/meta/sanitize.go, including Huawei's camera-mode codes), gThumb's
 * `useless_comment_filter` (exiv2 extension) and iNaturalist's `BRANDED_DESCRIPTIONS`.
 *
 * Matching rule — always the WHOLE text, never a part of it ("SONY DSC at the lake" is a caption):
 * 1. The text is compared after removing NULs, trimming, collapsing runs of whitespace and
 *    ignoring case; it is a placeholder when it is empty, when it is made of ASCII punctuation only
 *    ("----", "???"), or when it equals an entry of {@link PLACEHOLDER_CAPTIONS}.
 * 2. Or it is one of these shapes:
 *    - `<maker> DIGITAL CAMERA` or `<maker> Digital Still Camera`, maker one word ("NIKON DIGITAL CAMERA");
 *    - a model tag in angle brackets, as Samsung writes ("<Digimax i5, Samsung #1>");
 *    - a camera file name and nothing else (a camera prefix, then three or more digits; with or
 *      without extension): IMG_1234, IMG-20230101-WA0001,
 *      DSC01234, DSC_1234, _DSC1234, DSCF1234, DSCN1234, DSCI1234, P1000123, PICT0001, GOPR1234,
 *      GH011234, DJI_0001, SAM_0163, PXL_20230101_123456789, MVIMG_…;
 *    - a DCIM folder path without spaces ("DCIM\108GOPRO\GOPR2137.JPG").
 * Words like "Unknown" that a person may type on purpose are not on the list.
 */

/** Whole-text placeholders, compared case- and whitespace-insensitively (see the module comment). */
export const PLACEHOLDER_CAPTIONS: readonly string[] = [
  // Camera firmware
  'OLYMPUS DIGITAL CAMERA',
  'SONY DSC',
  'DIGITAL CAMERA',
  'KODAK Digital Still Camera',
  'MINOLTA DIGITAL CAMERA',
  'KONICA MINOLTA DIGITAL CAMERA',
  'SAMSUNG DIGITAL CAMERA',
  'SAMSUNG',
  'SAMSUNG CAMERA PICTURES',
  'MOULTRIE DIGITAL GAME CAMERA',
  'CASIO COMPUTER CO.,LTD',
  'DVC 10.1 HDMI',
  'Scanner',
  'DCIM',
  'DCF',
  'Exif_JPEG_PICTURE',
  // Huawei camera-mode codes written into ImageDescription ("mon" and "nor" are left out: real words)
  'rhdr',
  'hdrpl',
  'oznor',
  'oznorWO',
  'frontbhdp',
  'fbt',
  'rbt',
  'ptr',
  'fbthdr',
  'btr',
  'dav',
  'mde',
  'mde_soft',
  'edf',
  'btf',
  'btfmdn',
  'btfhdr',
  'frem',
  'rpt',
  'burst',
  'sdr_HDRB',
  'cof',
  'qrf',
  'fshbty',
  // Software and tools
  'AppleMark',
  'Apple Mark',
  'Created with GIMP',
  'Created by Imlib',
  'LEAD Technologies Inc. V1.01',
  'iClarified',
  'Picasa',
  'binary comment',
  'charset=Ascii',
  'x-default',
  // Generic defaults
  'Default',
  'Image',
  'Picture',
  'Photo',
  'Untitled',
];

const KEYS = new Set(PLACEHOLDER_CAPTIONS.map(key));

const SHAPES: readonly RegExp[] = [
  /^[\w-]+ digital (still )?camera$/,
  /^<[^<>]*>$/,
  /^(img|mvimg|pxl|vid|dsc|dsc[fnis]|_dsc|p|pict|gopr|g[hx]\d\d|dji|sam|cimg|imag|pano|photo)[_-]?\d{3,}[\w-]*(\.[a-z0-9]{2,4})?$/,
  /^dcim[\\/]\S*$/,
];

// ASCII punctuation only (empty included): "-----", "???", "..".
const PUNCTUATION_ONLY = /^[!-/:-@[-`{-~ ]*$/;

function key(text: string): string {
  return text.replace(/\0/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Whether `text` is a placeholder rather than a caption someone wrote (the module comment gives the rule). */
export function isPlaceholderCaption(text: string): boolean {
  const k = key(text);
  if (PUNCTUATION_ONLY.test(k) || KEYS.has(k)) return true;
  return SHAPES.some((shape) => shape.test(k));
}
