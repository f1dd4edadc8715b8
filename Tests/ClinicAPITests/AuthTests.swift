import Hummingbird
import Testing

@Suite("API authentication")
struct AuthTests {
    @Test("a request with the right bearer token is answered")
    func rightToken() async throws {
        try await APITest().run { api throws in
            #expect(try await api.get("/api/bot/branches/").status == 200)
            #expect(try await api.send(.get, "/api/bot/branches/", authorization: "bearer \(APITest.secret)").status == 200)
        }
    }

    @Test("a request without a token, with a wrong one or another scheme is a JSON 401", arguments: [
        nil, "", "Bearer", "Bearer ", "Bearer wrong", "Bearer \(APITest.secret)x", "Bearer \(APITest.secret.dropLast())",
        "Basic dGVzdDp0ZXN0", APITest.secret, "Token \(APITest.secret)",
    ])
    func wrongToken(authorization: String?) async throws {
        try await APITest().run { api throws in
            for (method, path, body) in [
                (HTTPRequest.Method.get, "/api/bot/branches/", nil as String?),
                (.post, "/api/bot/appointments/", "{}"),
                (.get, "/api/bot/no-such-route/", nil),
            ] {
                let reply = try await api.send(method, path, json: body, authorization: authorization)
                #expect(reply.status == 401, "\(path): \(reply)")
                #expect(reply.errorCode == "unauthorized")
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test("without a configured secret every call is refused, also with a token", arguments: [nil, ""] as [String?])
    func noSecret(secret: String?) async throws {
        try await APITest().run(secret: secret) { api throws in
            #expect(try await api.get("/api/bot/branches/").status == 401)
            #expect(try await api.send(.get, "/api/bot/branches/", authorization: "Bearer ").status == 401)
            #expect(try await api.send(.get, "/api/bot/branches/", authorization: nil).status == 401)
        }
    }

    @Test("the refusal does not depend on how much of the token matched")
    func refusalIsUniform() async throws {
        try await APITest().run { api throws in
            let near = try await api.send(.get, "/api/bot/branches/", authorization: "Bearer \(APITest.secret.dropLast())?")
            let far = try await api.send(.get, "/api/bot/branches/", authorization: "Bearer ?")
            #expect(near.body == far.body)
        }
    }
}
