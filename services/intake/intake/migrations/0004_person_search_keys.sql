-- Person search (POST /persons/search) and duplicate detection compare one folded form of
-- names and ふりがな (kasane.kana.fold: NFKC, カタカナ, no spaces, no 中黒). The folded kana
-- was stored in ひらがな before; it is now カタカナ, and the name gets its folded form too.
-- New rows are written by the application (kasane.kana.fold). This one-time backfill
-- mirrors that rule in SQL for the rows already here: NFKC (which also turns U+3000 into a
-- plain space), spaces and 中黒 removed, ぁ-ゖ/ゝゞ shifted to ァ-ヶ/ヽヾ.

ALTER TABLE persons ADD COLUMN name_normalized text;

UPDATE persons SET
    kana_normalized = translate(
        replace(regexp_replace(normalize(kana_normalized, NFKC), '\s', '', 'g'), '・', ''),
        'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖゝゞ',
        'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶヽヾ'),
    name_normalized = translate(
        replace(regexp_replace(normalize(name, NFKC), '\s', '', 'g'), '・', ''),
        'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖゝゞ',
        'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶヽヾ');

ALTER TABLE persons ALTER COLUMN name_normalized SET NOT NULL;
