// StopWords: the function-word lists per language and the fast lookup used to measure
// stop-word density, the best single signal that a block of text is running prose.

/// Languages with a stop list; the raw value is the bit used in lookup masks.
enum Language: Int, CaseIterable {
    case english, german, french, spanish, italian, portuguese, polish
}

enum StopWords {
    /// Word hash → bit mask of the languages whose list holds the word. Hashing the lowercased
    /// bytes lets block measuring look words up without allocating strings.
    static let table = StopWordTable(lists: Language.allCases.map { ($0, list(for: $0)) })

    static func mask(forHash hash: UInt64) -> UInt8 {
        table.mask(forHash: hash)
    }

    // The lists are the commonest function words (articles, pronouns, prepositions,
    // conjunctions, auxiliaries, frequent adverbs), written lowercase and split at apostrophes
    // the way `TextMeasure` splits words ("l'homme" → "l", "homme").
    static func list(for language: Language) -> String {
        switch language {
        case .english:
            return """
            the a an and or but nor not no of to in on at by for from with without into onto over under \
            about above below after before between through during until since against among within \
            is are was were be been being am have has had having do does did done will would shall should \
            can could may might must it its this that these those there here he she they we you i me him \
            her them us my your his their our mine yours who whom whose which what when where why how \
            than then so if as also just only very too more most much many some any all each every both \
            few other such same own one two said says say because while although though whether however \
            yet still even again now well up out down off like get got make made s t don didn doesn isn \
            wasn won also another since ever never per via upon around told according
            """
        case .german:
            return """
            der die das den dem des ein eine einer eines einem einen und oder aber sondern denn nicht kein \
            keine keinen keiner ist sind war waren wird werden wurde wurden worden hat haben hatte hatten \
            habe sein seine seiner seinen seinem ihr ihre ihren ihrem ihrer er sie es wir ich du man mit \
            von vom zu zum zur im in ins an am auf aus bei beim nach vor für über unter durch um als wie \
            wenn dass daß auch noch nur schon so sich mehr sehr kann können konnte muss müssen soll \
            sollen sollte will wollen dieser diese dieses diesem diesen jeder jede jedes wo was wer \
            welche welcher welches doch weil ob bis seit gegen ohne nun hier da dann immer alle allen \
            viele vielen etwa bereits dabei damit dazu darauf jedoch mal uns euch ihm ihn ihnen mich \
            mir dir dich sei wäre würde zwischen während neben sowie ebenfalls einmal heute
            """
        case .french:
            return """
            le la les l un une des du de d et ou mais ni ne n pas plus est sont était étaient été être \
            a ont avait avaient avoir il elle ils elles on nous vous je j tu se s ce c cette ces cet qui \
            que qu quoi dont où dans en sur sous avec pour par sans entre chez vers au aux son sa ses \
            leur leurs mon ma mes ton ta tes notre nos votre vos y comme aussi très bien tout tous \
            toute toutes même si lui fait faire peut peuvent après avant depuis encore ainsi alors donc \
            car quand lors selon contre déjà moins autre autres m t me te moi toi eux cela ça ceci \
            celui celle ceux dont chaque fois sera seront serait pendant
            """
        case .spanish:
            return """
            el la los las lo un una unos unas de del al y e o u ni que en a por para con sin sobre entre \
            se su sus es son fue fueron era eran ser sido está están estaba estar ha han había haber he \
            hemos no como más pero muy ya también este esta estos estas ese esa esos esas eso esto cuando \
            donde quien quienes porque si sí hay todo todos toda todas hasta desde yo él ella ellos ellas \
            nosotros me te nos mi mis tu tus le les puede pueden otro otra otros otras según tras durante \
            cual cuales cada mismo misma sino aunque entonces tanto menos poco ante bajo contra hacia
            """
        case .italian:
            return """
            il lo la i gli le l un uno una di del della dei degli delle dello dell d a al alla ai \
            agli alle all da dal dalla dai dagli dalle in nel nella nei negli nelle nell su sul sulla sui \
            sugli sulle sull con per tra fra e ed o ma che non è sono era erano essere ha hanno aveva \
            avevano avere stato stata stati si ci ne come anche più questo questa questi queste quello \
            quella quelli quelle suo sua suoi sue loro io tu lui lei noi voi se quando dove chi cui \
            perché molto tutto tutta tutti tutte dopo prima ancora già così solo sempre mi ti vi c \
            ogni però poi senza sia fino mentre invece
            """
        case .portuguese:
            return """
            o a os as um uma uns umas de do da dos das em no na nos nas por pelo pela pelos pelas para \
            com sem sobre entre e ou mas que não é são foi foram era eram ser sido está estão estava \
            estar tem têm tinha ter se seu sua seus suas ele ela eles elas eu você vocês nós como mais \
            muito muita também já quando onde quem porque este esta estes estas isso isto esse essa \
            esses essas aquele aquela ao aos à às até depois ainda só todo toda todos todas pode há num \
            numa me te lhe lhes meu minha nosso nossa outro outra outros cada mesmo segundo durante \
            após contra desde entre porém
            """
        case .polish:
            return """
            i w z na do nie się to jest że o a od po za przez dla jak ale co czy tak już jego jej ich \
            ten ta te tego tej tym tych które który która którzy którego był była było były są być \
            może można także również tylko bardzo przy pod nad oraz lub albo gdy jeśli jeżeli bo go \
            mu ją je nas was nam wam my wy on ona oni one ono ja ty jako jeszcze też tu tam gdzie kiedy \
            ze we u bez przed między wszystko mnie mi sobie aby żeby więc jednak został została \
            zostały będzie będą miał miała mają ma
            """
        }
    }
}

/// Open addressing on the word hash itself: every word of every block is looked up, and a
/// general dictionary would hash the hash again.
struct StopWordTable {
    private var keys: [UInt64]
    private var masks: [UInt8]
    private let slotMask: Int

    init(lists: [(Language, String)]) {
        let capacity = 4096  // a power of two, several times the number of words listed
        keys = [UInt64](repeating: 0, count: capacity)
        masks = [UInt8](repeating: 0, count: capacity)
        slotMask = capacity - 1
        for (language, list) in lists {
            for word in list.split(separator: " ") {
                let slot = self.slot(for: WordHasher.hash(word))
                keys[slot] = WordHasher.hash(word)
                masks[slot] |= UInt8(1 << language.rawValue)
            }
        }
    }

    /// The slot holding `hash`, or the empty slot where it would go.
    private func slot(for hash: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & slotMask
        while keys[slot] != 0 && keys[slot] != hash { slot = (slot + 1) & slotMask }
        return slot
    }

    @inline(__always)
    func mask(forHash hash: UInt64) -> UInt8 {
        masks[slot(for: hash)]
    }
}

/// FNV-1a over lowercased UTF-8 bytes: ASCII letters and Latin-1 capitals are folded, which
/// covers sentence-initial stop words in every listed language.
struct WordHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private var pendingLatinLead = false

    @inline(__always)
    mutating func add(_ byte: UInt8) {
        var folded = byte
        if byte >= 0x41 && byte <= 0x5A {
            folded = byte | 0x20
        } else if pendingLatinLead && byte >= 0x80 && byte <= 0x9E && byte != 0x97 {
            folded = byte + 0x20  // "À".."Þ" (C3 80..9E) → "à".."þ" (C3 A0..BE)
        }
        pendingLatinLead = byte == 0xC3
        value = (value ^ UInt64(folded)) &* 0x0000_0100_0000_01B3
    }

    static func hash<S: StringProtocol>(_ word: S) -> UInt64 {
        var hasher = WordHasher()
        for byte in word.utf8 { hasher.add(byte) }
        return hasher.value
    }
}
