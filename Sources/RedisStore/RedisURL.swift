/// Where Redis is: `redis://[:password@]host[:port][/db]`, or `rediss://…` for TLS (reached
/// through a `RedisTLSTunnel`), the form REDIS_URL takes.
///
/// Only what the client can use is accepted: no ACL user name, no query options. Anything else is nil, so a typo in the configuration fails at start-up instead of
/// connecting somewhere unexpected.
public struct RedisURL: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var database: Int
    public var password: String?
    /// `rediss://`: the server speaks TLS.
    public var tls: Bool

    public init(host: String, port: Int = 6379, database: Int = 0, password: String? = nil, tls: Bool = false) {
        self.host = host
        self.port = port
        self.database = database
        self.password = password
        self.tls = tls
    }

    /// The same server as reached through a tunnel's loopback end: plain, on `localPort`.
    public func through(_ tunnel: RedisTLSTunnel) -> RedisURL {
        RedisURL(host: "127.0.0.1", port: tunnel.localPort, database: database, password: password)
    }

    public init?(string: String) {
        let tls = string.hasPrefix("rediss://")
        let scheme = tls ? "rediss://" : "redis://"
        guard string.hasPrefix(scheme) else { return nil }
        var rest = Substring(string.dropFirst(scheme.count))
        guard !rest.contains(where: { $0 == "?" || $0 == "#" || $0 == " " }) else { return nil }

        // Credentials: only ":password@" (an empty user); a user name would need Redis 6 ACLs.
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard userinfo.first == ":" else { return nil }
            guard let decoded = Self.percentDecode(userinfo.dropFirst()), !decoded.isEmpty else { return nil }
            password = decoded
        }

        // Database: an optional "/n"; "/" alone means 0.
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard path.allSatisfy(\.isASCIIDigit), let db = Int(path), db <= 1_000_000 else { return nil }
                database = db
            }
        }

        // Host and port; an IPv6 address is written in brackets.
        var host: Substring
        var portText: Substring?
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            if let colon = rest.firstIndex(of: ":") {
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            } else {
                host = rest
            }
            guard !host.isEmpty,
                  host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") })
            else { return nil }
        }
        var port = 6379
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit), let p = Int(portText), (1...65535).contains(p)
            else { return nil }
            port = p
        }
        self.init(host: String(host), port: port, database: database, password: password, tls: tls)
    }

    /// "%40" → "@"; nil for a malformed escape or bytes that are not UTF-8.
    private static func percentDecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = utf8.next(), let low = utf8.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension RedisURL: CustomStringConvertible {
    /// The URL with its password masked: safe for logs.
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(tls ? "rediss" : "redis")://\(password == nil ? "" : ":***@")\(host):\(port)/\(database)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
