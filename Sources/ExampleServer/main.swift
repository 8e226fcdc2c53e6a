// Placeholder until the ExampleServer issue lands: it builds and runs, and says so.
print("swift-token-auth ExampleServer: the HTTP server is not implemented yet (see issue 9).")
