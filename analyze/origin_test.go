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
		{"over TLS, in an MFA session", trail.Record{SourceIPAddress: "203.0.113.40", TLSDetails: &trail.TLSDetails{TLSVersion: "TLSv1.3"},
			UserIdentity: &trail.UserIdentity{SessionContext: &trail.SessionContext{Attributes: &trail.SessionAttributes{MFAAuthenticated: "true"}}}}, Origin{IP: "203.0.113.40", TLS: true, MFA: "true"}},
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
// seen, not on the order, that each keeps its own times, and that the cap
// is reported.
func TestAddOriginOrderFree(t *testing.T) {
	var all []Origin
	for i := 0; i < MaxOrigins+4; i++ {
		all = append(all, Origin{IP: fmt.Sprintf("10.0.0.%d", 10+i)})
	}
	var fwd, back, split1, split2 Stat
	for i := range all {
		ts := int64(1000 + i)
		fwd.addOrigin(all[i], ts, ts)
		fwd.addOrigin(all[i], ts+50, ts+50)
		back.addOrigin(all[len(all)-1-i], ts, ts)
		back.addOrigin(all[len(all)-1-i], ts+50, ts+50)
		if i%2 == 0 {
			split1.addOrigin(all[i], ts+50, ts+50)
		} else {
			split2.addOrigin(all[i], ts, ts)
		}
	}
	for i := range all {
		ts := int64(1000 + i)
		if i%2 == 0 {
			split1.addOrigin(all[i], ts, ts)
		} else {
			split2.addOrigin(all[i], ts+50, ts+50)
		}
	}
	split1.mergeOrigins(&split2)
	if len(fwd.Origins) != MaxOrigins || !fwd.MoreOrigins {
		t.Fatalf("kept %d origins (more=%v), want %d and more", len(fwd.Origins), fwd.MoreOrigins, MaxOrigins)
	}
	if !reflect.DeepEqual(fwd, split1) {
		t.Fatalf("split changes origins:\n%+v\n%+v", fwd, split1)
	}
	// back saw each origin at other times: the same origins, kept alike.
	for i, s := range fwd.Origins {
		if back.Origins[i].Origin != s.Origin {
			t.Fatalf("order changes the kept origins: %+v vs %+v", back.Origins[i], s)
		}
	}
	if got, want := fwd.Origins[0], (Seen{Origin: all[0], First: 1000, Last: 1050}); got != want {
		t.Errorf("first kept origin %+v, want %+v", got, want)
	}
}
