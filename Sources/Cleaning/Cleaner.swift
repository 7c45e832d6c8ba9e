// Cleaner: the one entry point for cleaning, used by indexing and by `newsidx clean`;
// decodes the bytes and hands them to the plain-text or the HTML rules.

public enum Cleaner {
    /// Cleans one page. Never throws: undecodable bytes are replaced and reported in `warnings`.
    /// `url`, when known, is a last resort for the publication date ("/2019/11/18/"). `legacy`
    /// decodes pages that are not UTF-8 and do not declare their charset.
    public static func clean(_ bytes: [UInt8], kind: InputKind, url: String? = nil, legacy: LegacyEncoding? = nil) -> Article {
        switch kind {
        case .plainText:
            let (text, warnings) = TextDecoding.decode(bytes, legacy: legacy)
            var article = PlainTextCleaner.clean(text, urlHint: url)
            article.warnings = warnings + article.warnings
            return article
        case .html:
            return HTMLCleaner.clean(bytes, urlHint: url, legacy: legacy)
        }
    }
}
