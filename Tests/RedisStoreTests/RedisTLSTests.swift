import Foundation
@testable import RedisStore
import Testing
import TestSupport

/// `rediss://`: the client reaches a TLS Redis through `RedisTLSTunnel`, verifying its
/// certificate; a server the client cannot verify gets no command.
@Suite("Redis over TLS")
struct RedisTLSTests {
    /// A CA and a certificate for localhost signed by it, made with openssl for this test.
    struct Certificates {
        let dir: URL
        var ca: String { dir.appendingPathComponent("ca.crt").path }
        var cert: String { dir.appendingPathComponent("redis.crt").path }
        var key: String { dir.appendingPathComponent("redis.key").path }

        static func make() throws -> Certificates {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redis-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let steps = [
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=clinic-bot-test-ca",
                "openssl req -newkey rsa:2048 -nodes -keyout redis.key -out redis.csr -subj /CN=localhost",
                "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext",
                "openssl x509 -req -in redis.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out redis.crt -days 2 -extfile san.ext",
            ]
            for step in steps {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", step + " 2>/dev/null"]
                process.currentDirectoryURL = dir
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw TestServerError("openssl failed: \(step)") }
            }
            return Certificates(dir: dir)
        }
    }

    @Test("commands go through TLS to a server whose certificate verifies, with the password")
    func verified() async throws {
        let certificates = try Certificates.make()
        defer { try? FileManager.default.removeItem(at: certificates.dir) }
        let tlsPort = try serverPort()
        let server = try await PrivateRedis.start([
            "--tls-port", String(tlsPort), "--tls-cert-file", certificates.cert, "--tls-key-file", certificates.key,
            "--tls-auth-clients", "no", "--requirepass", "s3cret-over-tls",
        ])
        defer { server.stop() }
        let url = try #require(RedisURL(string: "rediss://:s3cret-over-tls@localhost:\(tlsPort)/0"))
        #expect(url.tls)
        #expect(url.description == "rediss://:***@localhost:\(tlsPort)/0")
        let tunnel = try RedisTLSTunnel(host: url.host, port: url.port, caFile: certificates.ca)
        defer { tunnel.close() }
        let client = RedisClient(url: url.through(tunnel), connections: 2)
        defer { client.close() }
        #expect(try await client.command(["SET", "tls-key", "қазақша"]).string == "OK")
        #expect(try await client.command(["GET", "tls-key"]).string == "қазақша")
        // Over the TLS port only: what reached the server came through the tunnel.
        let info = try await client.command(["CLIENT", "INFO"]).string ?? ""
        #expect(info.contains("laddr=127.0.0.1:\(tlsPort)") || info.contains("laddr=[::1]:\(tlsPort)"))
    }

    @Test("a server whose certificate the client does not trust gets no command")
    func unverified() async throws {
        let certificates = try Certificates.make()
        defer { try? FileManager.default.removeItem(at: certificates.dir) }
        let tlsPort = try serverPort()
        let server = try await PrivateRedis.start([
            "--tls-port", String(tlsPort), "--tls-cert-file", certificates.cert, "--tls-key-file", certificates.key,
            "--tls-auth-clients", "no",
        ])
        defer { server.stop() }
        // The system's roots do not know the test's CA.
        let tunnel = try RedisTLSTunnel(host: "localhost", port: tlsPort, caFile: nil)
        defer { tunnel.close() }
        let client = RedisClient(url: RedisURL(host: "127.0.0.1", port: tunnel.localPort), connections: 1)
        defer { client.close() }
        await #expect(throws: (any Error).self) { try await client.command(["PING"]) }
    }
}
