module github.com/seed-d2dfa170/lswebhook

go 1.24

require github.com/santhosh-tekuri/jsonschema/v5 v5.3.1

require github.com/google/go-cmp v0.7.0
