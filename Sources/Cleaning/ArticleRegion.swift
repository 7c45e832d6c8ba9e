// ArticleRegion: finds the stretches of the page that are the article, so content-like blocks
// before it (navigation teasers) and after a long boilerplate run (related stories) are dropped.

enum ArticleRegion {
    /// Every boilerplate block costs at least this many characters of content to cross, so a long
    /// run of short menu lines or teasers separates the article from what follows.
    static let minimumPenalty = 40
    static let furniturePenalty = 10
    /// A horizontal rule in a text dump (an <hr>, a divider) closes a section of the page: the
    /// article does not run on across it unless a lot of prose follows.
    static let ruleBarrier = 1000

    /// How many prose-like blocks just outside the strongest stretch still belong to it: a
    /// standfirst before it, a short closing paragraph after it.
    static let edgeAllowance = 2

    /// A second stretch of content, cut off from the main one by boilerplate (a lead paragraph
    /// above a picture gallery, the second half of an article after a long inline box), is kept
    /// when it scores at least this share of the main stretch.
    static let secondaryShare = 0.5
    /// Before the main stretch a smaller share suffices: what precedes the article is navigation,
    /// which scores nothing, while a lead cut off by a gallery or a table of contents is prose;
    /// related stories and comments, the prose that imitates an article, come after it.
    static let leadShare = 0.2
    /// After the article, prose far away (more blocks of boilerplate than an inline box or a
    /// gallery holds) is another text of the page: a comment section, a privacy notice, a bio.
    static let maximumGapAfter = 30

    /// The main stretch (with its edges) and any secondary ones, best first.
    static func findAll(_ blocks: [PageBlock], _ verdicts: [Verdict]) -> [Range<Int>] {
        let all = stretches(blocks, verdicts)
        guard let best = all.max(by: { $0.score < $1.score }) else { return [0..<0] }
        let main = widenEdges(best.range, blocks, verdicts)
        let others = all.filter { stretch in
            let before = stretch.range.lowerBound < best.range.lowerBound
            let share = before ? leadShare : secondaryShare
            let nearEnough = before || stretch.range.lowerBound - best.range.upperBound <= maximumGapAfter
            return stretch.range != best.range && nearEnough && Double(stretch.score) >= share * Double(best.score)
        }
        return [main] + others.map { widenEdges($0.range, blocks, verdicts) }
    }

    static func find(_ blocks: [PageBlock], _ verdicts: [Verdict]) -> Range<Int> {
        findAll(blocks, verdicts)[0]
    }

    private static func widenEdges(_ core: Range<Int>, _ blocks: [PageBlock], _ verdicts: [Verdict]) -> Range<Int> {
        guard !core.isEmpty else { return core }
        var lower = core.lowerBound
        var upper = core.upperBound
        while lower > 0 && core.lowerBound - lower < edgeAllowance && isEdgeProse(verdicts[lower - 1]) { lower -= 1 }
        while lower > 0 && isOpeningSentence(blocks[lower - 1], verdicts[lower - 1]) { lower -= 1 }
        while upper < verdicts.count && upper - core.upperBound < edgeAllowance && isEdgeProse(verdicts[upper]) {
            upper += 1
        }
        while upper < verdicts.count && isOpeningSentence(blocks[upper], verdicts[upper]) { upper += 1 }  // or close it
        return lower..<upper
    }

    /// Articles often open (and close) with a few one-sentence lines ("Online business owners
    /// tend to be introverts."), too short to count as prose but finished sentences, which
    /// headlines, menus and bylines are not.
    private static func isOpeningSentence(_ b: PageBlock, _ v: Verdict) -> Bool {
        let m = b.measure
        // A run of Chinese or Japanese letters is one word: ten of them make a sentence as well.
        let long = m.words >= openingSentenceWords || m.wideLetters >= 2 * openingSentenceWords
        return v.initial == .short && m.endsLikeSentence && long && !m.startsWithBullet
            && b.linkChars == 0 && b.markupVeto == nil && m.capitalizedWords * 2 < m.words
    }

    static let openingSentenceWords = 5

    private static func isEdgeProse(_ v: Verdict) -> Bool {
        v.quality == .good && v.initial == .nearGood
    }

    /// Maximum-sum stretches of the content-minus-boilerplate score: one per run between the
    /// points where the running score falls to zero, each the best-scoring part of its run.
    private static func stretches(_ blocks: [PageBlock], _ verdicts: [Verdict]) -> [(range: Range<Int>, score: Int)] {
        var found: [(range: Range<Int>, score: Int)] = []
        var best = 0..<0
        var bestScore = 0
        var start = 0
        var running = 0
        for i in blocks.indices {
            running += weight(blocks[i], verdicts[i])
            if running <= 0 {
                if bestScore > 0 { found.append((best, bestScore)) }
                running = 0
                bestScore = 0
                start = i + 1
            } else if running > bestScore {
                bestScore = running
                best = start..<(i + 1)
            }
        }
        if bestScore > 0 { found.append((best, bestScore)) }
        return found
    }

    private static func weight(_ block: PageBlock, _ verdict: Verdict) -> Int {
        let chars = block.measure.chars
        if block.isRule { return -ruleBarrier }
        if (block.isPlaceholder || block.isCreditInMarkup || FurnitureLabel.matches(block) || Byline.matches(block))
            && block.markupVeto == nil
            && verdict.initial != .good { return 0 }
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
