package analyze

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/tailor-iam/tailor/trail"
)

func TestOriginOf(t *testing.T) {
	tests := []struct {
		name string
		rec  trail.Record
		want Origin
	}{
		{"IPv4", trail.Record{SourceIPAddress: "203.0.113.40", UserIdentity: &trail.UserIdentity{}}, Origin{IP: "203.0.113.40"}},
		{"IPv6", trail.Record{SourceIPAddress: "2001:db8::1", UserIdentity: &trail.UserIdentity{}}, Origin{IP: "2001:db8::1"}},
		{"through a VPC endpoint", trail.Record{SourceIPAddress: "10.20.3.41", VPCEndpointID: "vpce-0a1b2c3d", UserIdentity: &trail.UserIdentity{}}, Origin{IP: "10.20.3.41", VPCE: "vpce-0a1b2c3d"}},
		{"a service for the principal", trail.Record{SourceIPAddress: "cloudformation.amazonaws.com", UserIdentity: &trail.UserIdentity{InvokedBy: "cloudformation.amazonaws.com"}}, Origin{Service: "cloudformation.amazonaws.com"}},
		{"AWS Internal", trail.Record{SourceIPAddress: "AWS Internal", UserIdentity: &trail.UserIdentity{}}, Origin{}},
		{"no identity", trail.Record{SourceIPAddress: "203.0.113.40"}, Origin{IP: "203.0.113.40"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := originOf(&tc.rec); got != tc.want {
				t.Errorf("originOf = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestAddOriginOrderFree checks the kept origins depend only on the set
// seen, not on the order, and that the cap is reported.
func TestAddOriginOrderFree(t *testing.T) {
	var all []Origin
	for i := 0; i < MaxOrigins+4; i++ {
		all = append(all, Origin{IP: fmt.Sprintf("10.0.0.%d", 10+i)})
	}
	var fwd, back, split1, split2 Stat
	for i := range all {
		fwd.addOrigin(all[i])
		fwd.addOrigin(all[i])
		back.addOrigin(all[len(all)-1-i])
		if i%2 == 0 {
			split1.addOrigin(all[i])
		} else {
			split2.addOrigin(all[i])
		}
	}
	split1.mergeOrigins(&split2)
	if !reflect.DeepEqual(fwd, back) || !reflect.DeepEqual(fwd, split1) {
		t.Fatalf("order changes origins:\n%+v\n%+v\n%+v", fwd, back, split1)
	}
	if len(fwd.Origins) != MaxOrigins || !fwd.MoreOrigins {
		t.Errorf("kept %d origins (more=%v), want %d and more", len(fwd.Origins), fwd.MoreOrigins, MaxOrigins)
	}
	if fwd.Origins[0] != all[0] {
		t.Errorf("first kept origin %+v, want %+v", fwd.Origins[0], all[0])
	}
}
