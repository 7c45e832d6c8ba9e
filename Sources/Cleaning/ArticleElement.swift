// ArticleElement: in HTML, the element that holds the article found by text alone; content
// blocks elsewhere in that element belong to the article even when boilerplate separates them.

enum ArticleElement {
    /// Share of the region's content characters the article element must hold.
    static let holdingShare = 0.97

    /// Widens `selection` to the good blocks inside the smallest element that holds nearly all
    /// of the region's content, unless that element is the whole page.
    static func widen(_ selection: inout Selection, _ blocks: [PageBlock], parentOf: [Int]) {
        guard let container = find(selection, blocks, parentOf: parentOf), depth(of: container, parentOf) > 2 else { return }
        var seen = Set<UInt64>()
        for i in blocks.indices {
            let firstCopy = seen.insert(blocks[i].measure.textHash).inserted
            guard belongs(i, blocks, selection.verdicts) || (firstCopy && isInRepeatedList(i, blocks, selection.verdicts)),
                  isInside(blocks[i].elementID, container, parentOf) else { continue }
            if !selection.region.contains(i) || selection.verdicts[i].quality != .good { selection.widened.insert(i) }
        }
        if let marked = enclosingArticleMarkup(container, blocks, parentOf: parentOf), depth(of: marked, parentOf) > 2 {
            for i in blocks.indices where !selection.isKept(i) && isFinishedProse(blocks[i], selection.verdicts[i]) {
                if isInside(blocks[i].elementID, marked, parentOf) { selection.widened.insert(i) }
            }
        }
    }

    /// "Contact:", "Further reading:", "Share:" — a short line ending in a colon, or a short
    /// heading, announces what follows it; when what follows was dropped (links, a form, share
    /// buttons, teasers), the label is left announcing nothing of the article and goes with it.
    /// A picture and its caption are looked past: a headline may stand above the lead picture.
    /// (Plain text already drops unfinished lines outside the paragraphs by its own rule.)
    static func dropOrphanLabels(_ selection: inout Selection, _ blocks: [PageBlock]) {
        for i in blocks.indices where selection.isKept(i) && isLabel(blocks[i]) {
            let next = blocks[(i + 1)...].firstIndex { $0.measure.words > 0 && !$0.isPictureFurniture }
            guard next.map({ !selection.isKept($0) }) ?? true else { continue }
            selection.widened.remove(i)
            selection.verdicts[i] = selection.verdicts[i].revised(quality: .bad, reason: "label of nothing kept")
        }
        let keptNow = blocks.indices.map { selection.isKept($0) }
        for i in blocks.indices where keptNow[i] && isUnfinishedLine(blocks[i]) {
            let next = blocks[(i + 1)...].firstIndex { $0.measure.words > 0 && !$0.isPictureFurniture }
            let previous = blocks[..<i].lastIndex { $0.measure.words > 0 && !$0.isPictureFurniture }
            guard !(next.map { keptNow[$0] } ?? false), !(previous.map { keptNow[$0] } ?? false) else { continue }
            selection.widened.remove(i)
            selection.verdicts[i] = selection.verdicts[i].revised(quality: .bad, reason: "a lone line between dropped blocks")
        }
    }

    /// "About the author", "Already read?": short, no link, not a statement, no figures (a
    /// quantity is a line of a list: "6 eggs" between linked ingredients).
    private static func isUnfinishedLine(_ b: PageBlock) -> Bool {
        let m = b.measure
        guard m.chars < ClassifierThresholds().shortChars, b.linkChars == 0, m.numericWords == 0,
              let last = b.text.last else { return false }
        return last != "." && last != "!" && last != "\u{201D}" && last != "\""
    }

    private static func isLabel(_ b: PageBlock) -> Bool {
        b.measure.chars < ClassifierThresholds().shortChars && (b.text.last == ":" || b.isHeading)
    }

    /// The page may split its article into boxes (a standfirst in the header, then a graphic and
    /// share buttons, then the body), so the element found around the region holds only one of
    /// them. When that element lies inside <article>, <main> or a named article body, the
    /// largest element around it whose text all lies inside such markup is the article as the
    /// page marks it: its paragraphs of finished prose belong too.
    private static func enclosingArticleMarkup(_ container: Int, _ blocks: [PageBlock], parentOf: [Int]) -> Int? {
        var allMarked = [Bool](repeating: true, count: parentOf.count)
        for b in blocks where !b.inArticleMarkup {
            var id = b.elementID
            while id > 0 && id < parentOf.count {
                allMarked[id] = false
                id = parentOf[id]
            }
        }
        guard allMarked[container] else { return nil }
        var element = container
        while parentOf[element] > 0 && allMarked[parentOf[element]] { element = parentOf[element] }
        return element
    }

    /// Prose on its own measurements that ends its sentence, with no links and no furniture markup.
    private static func isFinishedProse(_ b: PageBlock, _ v: Verdict) -> Bool {
        (v.initial == .good || v.initial == .nearGood) && b.measure.endsLikeSentence && b.linkChars == 0
            && b.markupVeto == nil
    }

    private static func belongs(_ i: Int, _ blocks: [PageBlock], _ v: [Verdict]) -> Bool {
        if isProse(v[i]) || isLoneLink(i, blocks, v) { return true }
        let plain = isShortSentence(blocks[i], v[i]) || isPoorInStopWordsOnly(blocks[i], v[i])
        return plain && !BlockClassifier.introducesFurniture(i, blocks)
    }

    /// An address spelled out ("www.example.org", "desk@example.org") or a sentence with a link
    /// in it, alone between two paragraphs of prose, is a reference the article gives; related
    /// stories and calls to action come in lists or as bare link text.
    private static func isLoneLink(_ i: Int, _ blocks: [PageBlock], _ v: [Verdict]) -> Bool {
        guard i > 0, i + 1 < blocks.count, v[i].reason.hasPrefix("link density"), blocks[i].markupVeto == nil else {
            return false
        }
        let b = blocks[i]
        guard isAddress(b.text) || (b.measure.endsLikeSentence && b.linkChars < b.measure.chars) else { return false }
        return [i - 1, i + 1].allSatisfy { j in
            isProse(v[j]) && blocks[j].markupVeto == nil && blocks[j].linkDensity <= ClassifierThresholds().maxLinkDensity
        }
    }

    /// Recipe sites and shops print an ingredient list or a spec sheet twice (one copy for each
    /// screen size). Inside the article element, the first copy of such a list of link-free
    /// lines is the article's; menus repeated top and bottom are links and sit outside it, and a
    /// lone repeated line is a label or a credit.
    private static func isInRepeatedList(_ i: Int, _ blocks: [PageBlock], _ v: [Verdict]) -> Bool {
        let plainRepeat = { (j: Int) in
            j >= 0 && j < blocks.count && v[j].initial == .bad && v[j].reason == "repeated in page"
                && blocks[j].linkChars == 0 && blocks[j].markupVeto == nil
        }
        return plainRepeat(i) && (plainRepeat(i - 1) || plainRepeat(i + 1))
    }

    /// One word that is a web or e-mail address.
    private static func isAddress(_ text: String) -> Bool {
        guard !text.contains(" ") else { return false }
        return text.hasPrefix("http") || text.hasPrefix("www.") || (text.contains("@") && text.contains("."))
    }

    /// Prose by its own measurements or by its neighbours: inside the article element, a
    /// prose-like block between captions and inline boxes is the article's.
    private static func isProse(_ v: Verdict) -> Bool {
        v.quality == .good || v.initial == .nearGood || v.initial == .good
    }

    /// "200 g sugar" in a recipe, "The company declined to comment." alone between pictures:
    /// short plain text that markup does not mark as furniture.
    private static func isShortSentence(_ b: PageBlock, _ v: Verdict) -> Bool {
        v.initial == .short && b.linkChars == 0 && b.markupVeto == nil
    }

    /// Code, references, lists of names: text that only its word mix argued against, inside the
    /// article element, with no links and no furniture markup.
    private static func isPoorInStopWordsOnly(_ b: PageBlock, _ v: Verdict) -> Bool {
        v.initial == .bad && v.reason.hasPrefix("few stop words") && b.linkChars == 0 && b.markupVeto == nil
    }

    private static func find(_ selection: Selection, _ blocks: [PageBlock], parentOf: [Int]) -> Int? {
        var held = [Int](repeating: 0, count: parentOf.count)
        var total = 0
        var firstElement: Int?
        for i in selection.region where selection.verdicts[i].quality == .good && blocks[i].elementID > 0 {
            let chars = blocks[i].measure.chars
            total += chars
            if firstElement == nil { firstElement = blocks[i].elementID }
            var id = blocks[i].elementID
            while id > 0 && id < held.count {
                held[id] += chars
                id = parentOf[id]
            }
        }
        guard var id = firstElement, total > 0 else { return nil }
        while id > 0 {
            if Double(held[id]) >= holdingShare * Double(total) { return id }
            id = parentOf[id]
        }
        return nil
    }

    private static func isInside(_ element: Int, _ container: Int, _ parentOf: [Int]) -> Bool {
        var id = element
        while id > 0 && id < parentOf.count {
            if id == container { return true }
            id = parentOf[id]
        }
        return false
    }

    private static func depth(of element: Int, _ parentOf: [Int]) -> Int {
        var depth = 0
        var id = element
        while id > 0 && id < parentOf.count {
            depth += 1
            id = parentOf[id]
        }
        return depth
    }
}
