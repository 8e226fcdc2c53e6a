import Testing
import TokenMiddleware

@Suite struct HeaderBasicsTests {
    @Test func namesAreCaseInsensitive() {
        let headers: HTTPHeaders = ["authorization": "Bearer x", "X-A": "1", "x-a": "2"]
        #expect(headers["Authorization"] == "Bearer x")
        #expect(headers.values(for: "X-A") == ["1", "2"])
    }
}
