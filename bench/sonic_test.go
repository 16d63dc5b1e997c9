package bench

import "github.com/bytedance/sonic"

// sonicPeers is sonic with its default configuration, filling plain
// structs.
var sonicPeers = []peer{
	{name: "sonic", typed: true, unmarshal: sonic.Unmarshal},
}
