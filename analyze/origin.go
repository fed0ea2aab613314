package analyze

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/trail"
)

// Origin is where a request came from, as the context keys IAM evaluates
// see it: aws:SourceIp (or aws:VpcSourceIp and aws:SourceVpce through a
// VPC endpoint) and aws:ViaAWSService. A policy condition on them can deny
// a request that its statements otherwise allow, so verify replays each
// origin a fact was seen from.
type Origin struct {
	IP      string // sourceIPAddress when it is an IP address
	VPCE    string // vpcEndpointId
	Service string // the service that made the call with the principal's credentials (invokedBy)
}

// MaxOrigins is how many distinct origins a fact keeps; beyond them,
// Stat.MoreOrigins is set.
const MaxOrigins = 8

func originOf(r *trail.Record) Origin {
	var o Origin
	ip := r.SourceIPAddress
	if _, err := netip.ParseAddr(ip); err == nil {
		o.IP = ip
	} else if strings.HasSuffix(ip, ".amazonaws.com") {
		o.Service = ip
	}
	if r.UserIdentity != nil && r.UserIdentity.InvokedBy != "" && strings.HasSuffix(r.UserIdentity.InvokedBy, ".amazonaws.com") {
		o.Service = r.UserIdentity.InvokedBy
	}
	o.VPCE = r.VPCEndpointID
	return o
}

func (o Origin) less(p Origin) bool {
	if o.IP != p.IP {
		return o.IP < p.IP
	}
	if o.VPCE != p.VPCE {
		return o.VPCE < p.VPCE
	}
	return o.Service < p.Service
}

// addOrigin records o among the fact's origins. The kept set is the
// MaxOrigins smallest, so it does not depend on the order events came in
// or how the input was split.
func (s *Stat) addOrigin(o Origin) {
	for _, x := range s.Origins {
		if x == o {
			return
		}
	}
	i := sort.Search(len(s.Origins), func(i int) bool { return o.less(s.Origins[i]) })
	if len(s.Origins) == MaxOrigins {
		s.MoreOrigins = true
		if i == MaxOrigins {
			return
		}
		s.Origins = s.Origins[:MaxOrigins-1]
	}
	s.Origins = append(s.Origins, Origin{})
	copy(s.Origins[i+1:], s.Origins[i:])
	s.Origins[i] = Origin{IP: strings.Clone(o.IP), VPCE: strings.Clone(o.VPCE), Service: strings.Clone(o.Service)}
}

func (s *Stat) mergeOrigins(o *Stat) {
	for _, x := range o.Origins {
		s.addOrigin(x)
	}
	s.MoreOrigins = s.MoreOrigins || o.MoreOrigins
}
