/// Recursive-descent parser for the expression language.
///
/// Precedence, lowest first: `or`, `and`, prefix `not`, comparisons and `in` (non-associative),
/// `+ -`, `* / %`, unary `-`, postfix `.member` / `[index]`, then literals, names, calls and parentheses.
struct ExpressionParser {
    /// Longer expressions belong in an action, not in a YAML condition.
    static let maximumLength = 2000
    /// Bounds both parser recursion and the height of the tree, so evaluating cannot exhaust
    /// the small stacks of concurrency threads.
    static let maximumDepth = 64

    /// A parsed subtree and its height, tracked while building instead of measured afterwards.
    private struct Node {
        let expression: Expression
        let height: Int
    }

    private let source: [Unicode.Scalar]
    private let tokens: [ExpressionToken]
    private var position = 0
    private var depth = 0

    init(source text: String) throws(ExpressionError) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= Self.maximumLength else {
            throw ExpressionError(
                message: "the expression is too long (\(scalars.count) characters; at most \(Self.maximumLength))",
                offset: Self.maximumLength)
        }
        source = scalars
        tokens = try ExpressionLexer.tokenize(scalars)
    }

    mutating func parseAll() throws(ExpressionError) -> Expression {
        if current.kind == .end { throw ExpressionError(message: "the expression is empty", offset: 0) }
        let node = try parseOr()
        switch current.kind {
        case .end:
            return node.expression
        case .symbol(.closeParen):
            throw ExpressionError(message: "unexpected ')'; there is no '(' to close", offset: current.offset)
        case .symbol(.closeBracket):
            throw ExpressionError(message: "unexpected ']'; there is no '[' to close", offset: current.offset)
        default:
            throw unexpected(current)
        }
    }

    // MARK: Boolean operators

    private mutating func parseOr() throws(ExpressionError) -> Node {
        try enter()
        defer { depth -= 1 }
        let start = current.offset
        var items = [try parseAnd()]
        while isKeyword("or") {
            advance()
            items.append(try parseAnd())
        }
        if items.count == 1 { return items[0] }
        return try make(.any(items.map(\.expression)), children: items.map(\.height), at: start)
    }

    private mutating func parseAnd() throws(ExpressionError) -> Node {
        let start = current.offset
        var items = [try parseNot()]
        while isKeyword("and") {
            advance()
            items.append(try parseNot())
        }
        if items.count == 1 { return items[0] }
        return try make(.all(items.map(\.expression)), children: items.map(\.height), at: start)
    }

    private mutating func parseNot() throws(ExpressionError) -> Node {
        guard isKeyword("not") else { return try parseComparison() }
        let start = current.offset
        advance()
        try enter()
        defer { depth -= 1 }
        let operand = try parseNot()
        return try make(.unary(.not, operand.expression), children: [operand.height], at: start)
    }

    // MARK: Comparisons

    private mutating func parseComparison() throws(ExpressionError) -> Node {
        let left = try parseAdditive()
        guard let (op, width) = comparisonOperator() else { return left }
        let opOffset = current.offset
        position += width
        let right = try parseAdditive()
        if comparisonOperator() != nil {
            throw ExpressionError(
                message: "comparisons cannot be chained; join them with 'and', like 'a < b and b < c'",
                offset: current.offset)
        }
        return try make(.binary(op, left.expression, right.expression), children: [left.height, right.height], at: opOffset)
    }

    /// The comparison at the current token and how many tokens it spans (`not in` is two).
    private func comparisonOperator() -> (Expression.BinaryOperator, Int)? {
        switch current.kind {
        case .symbol(.equal): return (.equal, 1)
        case .symbol(.notEqual): return (.notEqual, 1)
        case .symbol(.less): return (.less, 1)
        case .symbol(.lessOrEqual): return (.lessOrEqual, 1)
        case .symbol(.greater): return (.greater, 1)
        case .symbol(.greaterOrEqual): return (.greaterOrEqual, 1)
        case .name("in"): return (.in, 1)
        case .name("not") where peek.kind == .name("in"): return (.notIn, 2)
        default: return nil
        }
    }

    // MARK: Arithmetic

    private mutating func parseAdditive() throws(ExpressionError) -> Node {
        var left = try parseMultiplicative()
        while true {
            let op: Expression.BinaryOperator
            switch current.kind {
            case .symbol(.plus): op = .add
            case .symbol(.minus): op = .subtract
            default: return left
            }
            let opOffset = current.offset
            advance()
            let right = try parseMultiplicative()
            left = try make(.binary(op, left.expression, right.expression), children: [left.height, right.height], at: opOffset)
        }
    }

    private mutating func parseMultiplicative() throws(ExpressionError) -> Node {
        var left = try parseUnary()
        while true {
            let op: Expression.BinaryOperator
            switch current.kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            case .symbol(.percent): op = .remainder
            default: return left
            }
            let opOffset = current.offset
            advance()
            let right = try parseUnary()
            left = try make(.binary(op, left.expression, right.expression), children: [left.height, right.height], at: opOffset)
        }
    }

    private mutating func parseUnary() throws(ExpressionError) -> Node {
        guard current.kind == .symbol(.minus) else { return try parsePostfix() }
        let start = current.offset
        advance()
        try enter()
        defer { depth -= 1 }
        let operand = try parseUnary()
        // `-5` and `-24h` are constants; folding them keeps wait times like `at: start + -1h` cheap.
        switch operand.expression {
        case .literal(.int(let i)) where i != .min: return Node(expression: .literal(.int(-i)), height: 1)
        case .literal(.double(let d)): return Node(expression: .literal(.double(-d)), height: 1)
        default: return try make(.unary(.negate, operand.expression), children: [operand.height], at: start)
        }
    }

    // MARK: Members, indexes

    private mutating func parsePostfix() throws(ExpressionError) -> Node {
        var node = try parsePrimary()
        while true {
            switch current.kind {
            case .symbol(.dot):
                let dotOffset = current.offset
                advance()
                // Any word may follow a dot, keywords included: `answers.in` is a plain member.
                guard case .name(let name) = current.kind else {
                    throw ExpressionError(message: "expected a name after '.'", offset: current.offset)
                }
                advance()
                if case .path(let names) = node.expression {
                    node = Node(expression: .path(names + [name]), height: 1)
                } else {
                    node = try make(.member(node.expression, name), children: [node.height], at: dotOffset)
                }
            case .symbol(.openBracket):
                let open = current
                advance()
                let index = try parseOr()
                try expectClosing(.closeBracket, opener: open)
                if case .path(let names) = node.expression, case .literal(.string(let key)) = index.expression {
                    node = Node(expression: .path(names + [key]), height: 1)
                } else {
                    node = try make(.index(node.expression, index.expression), children: [node.height, index.height], at: open.offset)
                }
            case .symbol(.openParen):
                throw ExpressionError(message: "only functions can be called, like len(x)", offset: current.offset)
            default:
                return node
            }
        }
    }

    // MARK: Primaries

    private mutating func parsePrimary() throws(ExpressionError) -> Node {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Node(expression: .literal(value), height: 1)
        case .string(let text):
            advance()
            return Node(expression: .literal(.string(text)), height: 1)
        case .name("true"):
            advance()
            return Node(expression: .literal(.bool(true)), height: 1)
        case .name("false"):
            advance()
            return Node(expression: .literal(.bool(false)), height: 1)
        case .name("null"):
            advance()
            return Node(expression: .literal(.null), height: 1)
        case .name("and"), .name("or"), .name("not"), .name("in"):
            throw unexpected(token)
        case .name(let name):
            if peek.kind == .symbol(.openParen) { return try parseCall(name, at: token) }
            advance()
            return Node(expression: .path([name]), height: 1)
        case .symbol(.openParen):
            advance()
            let inner = try parseOr()
            try expectClosing(.closeParen, opener: token)
            return inner
        case .symbol(.openBracket):
            return try parseList()
        case .end:
            guard position > 0 else { throw ExpressionError(message: "the expression is empty", offset: 0) }
            throw ExpressionError(message: "expected a value after '\(text(of: tokens[position - 1]))'", offset: token.offset)
        default:
            throw unexpected(token)
        }
    }

    private mutating func parseList() throws(ExpressionError) -> Node {
        let open = current
        advance()
        var items: [Node] = []
        if current.kind == .symbol(.closeBracket) {
            advance()
        } else {
            while true {
                items.append(try parseOr())
                if current.kind == .symbol(.comma) {
                    advance()
                    continue
                }
                try expectClosing(.closeBracket, opener: open)
                break
            }
        }
        // Constant lists such as `['M', 'F']` are built once here instead of on every evaluation.
        var constants: [Value] = []
        for item in items {
            guard case .literal(let value) = item.expression else {
                return try make(.list(items.map(\.expression)), children: items.map(\.height), at: open.offset)
            }
            constants.append(value)
        }
        return Node(expression: .literal(.list(constants)), height: 1)
    }

    private mutating func parseCall(_ name: String, at nameToken: ExpressionToken) throws(ExpressionError) -> Node {
        guard let function = Expression.Function(rawValue: name) else {
            if let guess = Expression.Function.suggestion(for: name) {
                throw ExpressionError(message: "unknown function '\(name)'; did you mean '\(guess)'?", offset: nameToken.offset)
            }
            let known = Expression.Function.knownNames.joined(separator: ", ")
            throw ExpressionError(message: "unknown function '\(name)'; known functions are \(known)", offset: nameToken.offset)
        }
        advance()
        let open = current
        advance()
        var arguments: [Node] = []
        var argumentOffsets: [Int] = []
        if current.kind == .symbol(.closeParen) {
            advance()
        } else {
            while true {
                argumentOffsets.append(current.offset)
                arguments.append(try parseOr())
                if current.kind == .symbol(.comma) {
                    advance()
                    continue
                }
                try expectClosing(.closeParen, opener: open)
                break
            }
        }
        if function == .t {
            // The key must be literal so the validator can check every locale has it.
            guard arguments.count == 1, case .literal(.string(let key)) = arguments[0].expression else {
                throw ExpressionError(
                    message: "t() takes one text key in quotes, like t('booking.title')",
                    offset: argumentOffsets.first ?? open.offset + 1)
            }
            return Node(expression: .text(key), height: 1)
        }
        let (minimum, maximum) = function.arity
        if arguments.count < minimum || arguments.count > (maximum ?? .max) {
            throw ExpressionError(
                message: "\(name)() takes \(Self.describeArity(minimum, maximum)), not \(arguments.count)",
                offset: nameToken.offset)
        }
        return try make(
            .call(function, arguments.map(\.expression)), children: arguments.map(\.height), at: nameToken.offset)
    }

    private static func describeArity(_ minimum: Int, _ maximum: Int?) -> String {
        let count = minimum == 0 ? "no arguments" : minimum == 1 ? "1 argument" : "\(minimum) arguments"
        return maximum == nil ? "at least \(count)" : count
    }

    // MARK: Helpers

    private var current: ExpressionToken { tokens[position] }
    private var peek: ExpressionToken { tokens[min(position + 1, tokens.count - 1)] }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private func isKeyword(_ word: String) -> Bool { current.kind == .name(word) }

    private mutating func enter() throws(ExpressionError) {
        depth += 1
        if depth > Self.maximumDepth { throw tooDeep(at: current.offset) }
    }

    private func make(_ expression: Expression, children: [Int], at offset: Int) throws(ExpressionError) -> Node {
        let height = (children.max() ?? 0) + 1
        if height > Self.maximumDepth { throw tooDeep(at: offset) }
        return Node(expression: expression, height: height)
    }

    private func tooDeep(at offset: Int) -> ExpressionError {
        ExpressionError(message: "the expression is nested too deeply (more than \(Self.maximumDepth) levels)", offset: offset)
    }

    private mutating func expectClosing(_ closing: ExpressionToken.Symbol, opener: ExpressionToken) throws(ExpressionError) {
        guard current.kind == .symbol(closing) else {
            throw ExpressionError(
                message: "expected '\(closing.rawValue)' to close '\(text(of: opener))' opened at column \(column(of: opener.offset))",
                offset: current.offset)
        }
        advance()
    }

    /// 1-based column within the expression's own line, as an editor counts it.
    private func column(of offset: Int) -> Int {
        var start = offset
        while start > 0, source[start - 1] != "\n" { start -= 1 }
        return offset - start + 1
    }

    private func text(of token: ExpressionToken) -> String {
        let raw = String(String.UnicodeScalarView(source[token.offset..<token.offset + token.length]))
        return raw.unicodeScalars.count > 30 ? String(String.UnicodeScalarView(raw.unicodeScalars.prefix(29))) + "…" : raw
    }

    private func unexpected(_ token: ExpressionToken) -> ExpressionError {
        switch token.kind {
        case .end: return ExpressionError(message: "unexpected end of expression", offset: token.offset)
        case .string: return ExpressionError(message: "unexpected text \(text(of: token))", offset: token.offset)
        default: return ExpressionError(message: "unexpected '\(text(of: token))'", offset: token.offset)
        }
    }
}
