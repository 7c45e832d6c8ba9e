// ArticleRegion: finds the one stretch of the page that is the article, so content-like blocks
// before it (navigation teasers) and after a long boilerplate run (related stories) are dropped.

enum ArticleRegion {
    /// Every boilerplate block costs at least this many characters of content to cross, so a long
    /// run of short menu lines or teasers separates the article from what follows.
    static let minimumPenalty = 40
    static let furniturePenalty = 10

    /// The contiguous range of blocks with the largest content-minus-boilerplate score
    /// (maximum-sum subarray). Empty when no block is content.
    /// How many prose-like blocks just outside the strongest stretch still belong to it: a
    /// standfirst before it, a short closing paragraph after it.
    static let edgeAllowance = 2

    static func find(_ blocks: [PageBlock], _ verdicts: [Verdict]) -> Range<Int> {
        let core = strongestStretch(blocks, verdicts)
        guard !core.isEmpty else { return core }
        var lower = core.lowerBound
        var upper = core.upperBound
        while lower > 0 && core.lowerBound - lower < edgeAllowance && isEdgeProse(verdicts[lower - 1]) { lower -= 1 }
        while upper < blocks.count && upper - core.upperBound < edgeAllowance && isEdgeProse(verdicts[upper]) {
            upper += 1
        }
        return lower..<upper
    }

    private static func isEdgeProse(_ v: Verdict) -> Bool {
        v.quality == .good && v.initial == .nearGood
    }

    private static func strongestStretch(_ blocks: [PageBlock], _ verdicts: [Verdict]) -> Range<Int> {
        var best = 0..<0
        var bestScore = 0
        var start = 0
        var running = 0
        for i in blocks.indices {
            running += weight(blocks[i], verdicts[i])
            if running <= 0 {
                running = 0
                start = i + 1
            } else if running > bestScore {
                bestScore = running
                best = start..<(i + 1)
            }
        }
        return best
    }

    private static func weight(_ block: PageBlock, _ verdict: Verdict) -> Int {
        let chars = block.measure.chars
        if block.isPlaceholder && block.markupVeto == nil { return 0 }
        // Markup already dropped these; inside an article they are captions and inline boxes,
        // so they separate it from other prose only when there are many of them.
        if block.markupVeto != nil { return -furniturePenalty }
        // Only blocks that are prose on their own evidence pull the article's edges outwards;
        // blocks kept for their neighbours' sake (teaser headlines and blurbs) count little.
        if verdict.quality == .good && verdict.initial != .good {
            return verdict.initial == .nearGood ? chars / 2 : 0
        }
        if verdict.quality == .good { return block.inArticleMarkup ? chars * 2 : chars }
        return -max(chars, minimumPenalty)
    }
}
