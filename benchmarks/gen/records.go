package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// record is one CloudTrail event with its fields in the order CloudTrail
// writes them.
type record struct {
	EventVersion        string      `json:"eventVersion"`
	UserIdentity        identity    `json:"userIdentity"`
	EventTime           string      `json:"eventTime"`
	EventSource         string      `json:"eventSource"`
	EventName           string      `json:"eventName"`
	AWSRegion           string      `json:"awsRegion"`
	SourceIPAddress     string      `json:"sourceIPAddress"`
	UserAgent           string      `json:"userAgent"`
	ErrorCode           string      `json:"errorCode,omitempty"`
	ErrorMessage        string      `json:"errorMessage,omitempty"`
	RequestParameters   any         `json:"requestParameters"`
	ResponseElements    any         `json:"responseElements"`
	AdditionalEventData any         `json:"additionalEventData,omitempty"`
	RequestID           string      `json:"requestID"`
	EventID             string      `json:"eventID"`
	ReadOnly            bool        `json:"readOnly"`
	Resources           []resource  `json:"resources,omitempty"`
	EventType           string      `json:"eventType"`
	ManagementEvent     bool        `json:"managementEvent"`
	RecipientAccountID  string      `json:"recipientAccountId"`
	VPCEndpointID       string      `json:"vpcEndpointId,omitempty"`
	EventCategory       string      `json:"eventCategory"`
	TLSDetails          *tlsDetails `json:"tlsDetails,omitempty"`
}

type identity struct {
	Type           string          `json:"type"`
	PrincipalID    string          `json:"principalId,omitempty"`
	ARN            string          `json:"arn,omitempty"`
	AccountID      string          `json:"accountId,omitempty"`
	AccessKeyID    string          `json:"accessKeyId,omitempty"`
	UserName       string          `json:"userName,omitempty"`
	SessionContext *sessionContext `json:"sessionContext,omitempty"`
	InvokedBy      string          `json:"invokedBy,omitempty"`
}

type sessionContext struct {
	SessionIssuer       *issuer   `json:"sessionIssuer,omitempty"`
	WebIDFederationData *struct{} `json:"webIdFederationData,omitempty"`
	Attributes          struct {
		CreationDate     string `json:"creationDate"`
		MFAAuthenticated string `json:"mfaAuthenticated"`
	} `json:"attributes"`
}

type issuer struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

type resource struct {
	AccountID string `json:"accountId,omitempty"`
	Type      string `json:"type"`
	ARN       string `json:"ARN"`
}

type tlsDetails struct {
	TLSVersion               string `json:"tlsVersion"`
	CipherSuite              string `json:"cipherSuite"`
	ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`
}

// m is a JSON object in requestParameters and the like.
type m = map[string]any

// call is one API call as an op describes it, before it becomes a record.
type call struct {
	source, name, version string
	params, resp, extra   any
	resources             []resource
	readOnly, data        bool
	host                  string // TLS host header; <service>.<region>.amazonaws.com when empty
	requestID             string // its shape: a UUID, or S3's and DynamoDB's upper-case IDs
	eventType             string // AwsApiCall when empty
	// For the denial message: the IAM action and the resource it names.
	action, target string
	// failure is the error the call fails with now and then, other than
	// a denial (a missing key, throttling); none when code is empty.
	failure failure
}

type failure struct{ code, message string }

// template is a pre-rendered record and where its per-copy fields sit.
type template struct {
	b              []byte
	timeOff, idOff int // eventTime (20 bytes) and eventID (36 bytes)
	reqOff, reqLen int // requestID
	reqUUID        bool
	slots          []slot    // fresh() placeholders
	groupLen       [10]uint8 // the longest slot of each hex group
	denied, failed bool      // an access denial; another error
	source         string
}

// slot is a fresh() placeholder: n bytes at off, filled with the group's
// hex string (the same in every slot of the group), or a new UUID when
// group is 'u'.
type slot struct {
	off, n int
	group  byte
}

// appendTo appends a copy of t with the given time and fresh IDs and
// names.
func (t *template) appendTo(dst []byte, at time.Time, rng *rand.Rand) []byte {
	start := len(dst)
	dst = append(dst, t.b...)
	rec := dst[start:]
	at.AppendFormat(rec[t.timeOff:t.timeOff:t.timeOff+20], time.RFC3339)
	fillUUID(rec[t.idOff:t.idOff+36], rng)
	if t.reqUUID {
		fillUUID(rec[t.reqOff:t.reqOff+36], rng)
	} else {
		fill(rec[t.reqOff:t.reqOff+t.reqLen], upperAlnum, rng)
	}
	if len(t.slots) > 0 {
		var groups [10][maxSlot]byte
		for g, n := range t.groupLen {
			if n > 0 {
				fill(groups[g][:n], hexDigits, rng)
			}
		}
		for _, s := range t.slots {
			if s.group == 'u' {
				fillUUID(rec[s.off:s.off+36], rng)
			} else {
				copy(rec[s.off:s.off+s.n], groups[s.group-'0'][:s.n])
			}
		}
	}
	return dst
}

const maxSlot = 64

func newTemplate(r *record) template {
	r.EventTime = "2026-11-01T00:00:00Z"
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // the record types are plain data
	}
	t := template{b: b, reqLen: len(r.RequestID), reqUUID: len(r.RequestID) == 36 && r.RequestID[8] == '-'}
	t.timeOff = valueOffset(b, "eventTime")
	t.idOff = valueOffset(b, "eventID")
	t.reqOff = valueOffset(b, "requestID")
	t.denied = r.ErrorCode != "" && denialCodes[r.ErrorCode]
	t.failed = r.ErrorCode != "" && !t.denied
	t.source = r.EventSource
	// fresh() placeholders: "~", the group, then "~" up to the length.
	for i := 0; i < len(b); i++ {
		if b[i] != '~' {
			continue
		}
		g := b[i+1]
		j := i + 2
		for j < len(b) && b[j] == '~' {
			j++
		}
		s := slot{off: i, n: j - i, group: g}
		switch {
		case g == 'u' && s.n == 36:
		case g >= '0' && g <= '9' && s.n <= maxSlot:
			t.groupLen[g-'0'] = max(t.groupLen[g-'0'], uint8(s.n))
			s.group = g
		default:
			panic(fmt.Sprintf("bad placeholder %q", b[i:j]))
		}
		t.slots = append(t.slots, s)
		i = j - 1
	}
	return t
}

// valueOffset finds a top-level string field's value; the names it is used
// with occur once per record.
func valueOffset(b []byte, key string) int {
	i := strings.Index(string(b), `"`+key+`":"`)
	if i < 0 {
		panic("no " + key)
	}
	return i + len(key) + 4
}

// pool is the template pool of one (account, region): the records of one
// delivery file all come from one.
type pool struct {
	index           int
	account, region string
	weight          int // share of files
	templates       []template
	meanSize        int
	principals      map[string]bool
	sources         map[string]bool
}

const templatesPerPool = 8000

// buildPools renders every pool's templates from the seed, in parallel:
// each pool has its own random stream and the world is only read.
func buildPools(seed uint64) []*pool {
	w := newWorld(rand.New(rand.NewPCG(seed, 1)))
	specs := []struct {
		account, region string
		weight          int
	}{
		{prodAccount, "us-east-1", 5},
		{prodAccount, "eu-west-1", 3},
		{stagingAccount, "us-east-1", 2},
		{stagingAccount, "us-west-2", 1},
	}
	pools := make([]*pool, len(specs))
	var wg sync.WaitGroup
	for i, s := range specs {
		p := &pool{index: i, account: s.account, region: s.region, weight: s.weight,
			principals: map[string]bool{}, sources: map[string]bool{}}
		pools[i] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.fill(w.byAccount[s.account], rand.New(rand.NewPCG(seed, uint64(100+i))))
		}()
	}
	wg.Wait()
	return pools
}

func (p *pool) fill(actors []*actor, rng *rand.Rand) {
	total := 0
	for _, a := range actors {
		total += a.weight
	}
	size := 0
	for range templatesPerPool {
		a := pickActor(actors, total, rng)
		r := render(a, p.region, rng)
		// The principal as tailor counts it: a session's role, a user,
		// or the AWS service itself.
		id := r.UserIdentity
		switch {
		case id.SessionContext != nil && id.SessionContext.SessionIssuer != nil:
			p.principals[id.SessionContext.SessionIssuer.ARN] = true
		case id.Type == "AWSService":
			p.principals[id.InvokedBy] = true
		default:
			p.principals[id.ARN] = true
		}
		p.sources[r.EventSource] = true
		t := newTemplate(r)
		size += len(t.b) + 1
		p.templates = append(p.templates, t)
	}
	p.meanSize = size / len(p.templates)
}

// union counts the distinct keys of one set-valued field over all pools.
func union(pools []*pool, field func(*pool) map[string]bool) int {
	all := map[string]bool{}
	for _, p := range pools {
		for k := range field(p) {
			all[k] = true
		}
	}
	return len(all)
}

func pickActor(actors []*actor, total int, rng *rand.Rand) *actor {
	n := rng.IntN(total)
	for _, a := range actors {
		if n < a.weight {
			return a
		}
		n -= a.weight
	}
	return actors[len(actors)-1]
}

// render turns one call of actor a into a record: denied at the actor's
// rate (about 3% over the trail), failed otherwise (a missing key,
// throttling) about 0.5% of the time when the call can fail.
func render(a *actor, region string, rng *rand.Rand) *record {
	c := a.pickOp(rng)(a, region, rng)
	id := a.identity(rng)
	svc := strings.TrimSuffix(c.source, ".amazonaws.com")
	host := c.host
	if host == "" {
		host = svc + "." + region + ".amazonaws.com"
	}
	r := &record{
		EventVersion:        c.version,
		UserIdentity:        id,
		EventSource:         c.source,
		EventName:           c.name,
		AWSRegion:           region,
		SourceIPAddress:     a.ip(rng),
		UserAgent:           a.agent(svc),
		RequestParameters:   c.params,
		ResponseElements:    c.resp,
		RequestID:           c.requestID,
		EventID:             uuid(rng),
		ReadOnly:            c.readOnly,
		Resources:           c.resources,
		EventType:           "AwsApiCall",
		ManagementEvent:     !c.data,
		RecipientAccountID:  a.account,
		EventCategory:       "Management",
		TLSDetails:          &tlsDetails{"TLSv1.3", "TLS_AES_128_GCM_SHA256", host},
		AdditionalEventData: c.extra,
	}
	if r.EventVersion == "" {
		r.EventVersion = "1.10"
	}
	if r.RequestID == "" {
		r.RequestID = uuid(rng)
	}
	if c.eventType != "" {
		r.EventType = c.eventType
	}
	if c.data {
		r.EventCategory = "Data"
		if a.vpc != "" && (svc == "s3" || svc == "dynamodb") {
			r.VPCEndpointID = a.vpc
		}
	}
	if id.Type == "AWSService" {
		r.SourceIPAddress, r.UserAgent, r.TLSDetails = id.InvokedBy, id.InvokedBy, nil
		return r
	}
	switch n := rng.IntN(1000); {
	case c.action != "" && n < a.deny:
		deny(r, id, c, rng)
	case c.failure.code != "" && n >= 995:
		r.ResponseElements = nil
		r.ErrorCode, r.ErrorMessage = c.failure.code, c.failure.message
	}
	return r
}

// denialCodes are the errorCodes of access denials, by service protocol.
var denialCodes = map[string]bool{"AccessDenied": true, "AccessDeniedException": true,
	"Client.UnauthorizedOperation": true, "AuthorizationError": true}

// deniedCode is the errorCode a service writes for an access denial.
func deniedCode(svc string) string {
	switch svc {
	case "ec2":
		return "Client.UnauthorizedOperation"
	case "sns":
		return "AuthorizationError"
	case "s3", "sqs", "iam", "sts", "cloudformation", "monitoring", "autoscaling", "elasticloadbalancing",
		"rds", "elasticache", "ses", "cloudfront", "route53":
		return "AccessDenied"
	}
	return "AccessDeniedException"
}

// deny turns r into an access-denied record with a message shaped like the
// service's own.
func deny(r *record, id identity, c *call, rng *rand.Rand) {
	svc := strings.TrimSuffix(c.source, ".amazonaws.com")
	r.ResponseElements = nil
	r.ErrorCode = deniedCode(svc)
	if x, ok := r.AdditionalEventData.(m); ok && x["bytesTransferredOut"] != nil {
		x["bytesTransferredOut"] = 0 // nothing was sent
		delete(x, "SSEApplied")
	}
	who := id.ARN
	var why string
	switch n := rng.IntN(40); {
	case n < 24:
		why = " because no identity-based policy allows the " + c.action + " action"
	case n < 28:
		why = " with an explicit deny in a service control policy: arn:aws:organizations::" + prodAccount +
			":policy/" + orgID + "/service_control_policy/p-" + pick(rng, []string{"7xk2m9qa", "deny0reg", "guardrl1"})
	case n < 31:
		why = " because no permissions boundary allows the " + c.action + " action"
	case n < 33:
		why = " because no session policy allows the " + c.action + " action"
	case n < 36 && (svc == "kms" || svc == "s3" || svc == "sqs" || svc == "secretsmanager" || svc == "sns" || svc == "lambda"):
		why = " because no resource-based policy allows the " + c.action + " action"
	case n < 38 && (svc == "s3" || svc == "dynamodb") && r.VPCEndpointID != "":
		why = " because no VPC endpoint policy allows the " + c.action + " action"
	case svc == "sts":
		why = " because no role trust policy allows the " + c.action + " action"
	default:
		why = " with an explicit deny in an identity-based policy: arn:aws:iam::" + r.RecipientAccountID + ":policy/deny-outside-business-hours"
	}
	target := c.target
	if target == "" {
		target = "*"
	}
	on := " on resource: " + target
	switch svc {
	case "s3":
		if rng.IntN(3) == 0 {
			r.ErrorMessage = "Access Denied"
			return
		}
		on = " on resource: \"" + target + "\""
	case "sqs":
		if p, ok := c.params.(m); ok && rng.IntN(2) == 0 {
			r.ErrorMessage = fmt.Sprintf("Access to the resource %v is denied.", p["queueUrl"])
			return
		}
	case "ec2":
		if rng.IntN(2) == 0 {
			r.ErrorMessage = "You are not authorized to perform this operation. Encoded authorization failure message: " +
				randString(rng, 300+rng.IntN(600), base64Set)
			return
		}
		r.ErrorMessage = "You are not authorized to perform this operation. User: " + who +
			" is not authorized to perform: " + c.action + on + why
		return
	}
	r.ErrorMessage = "User: " + who + " is not authorized to perform: " + c.action + on + why
}

const (
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	mixedAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	hexDigits  = "0123456789abcdef"
	base64Set  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func fill(b []byte, alphabet string, rng *rand.Rand) {
	for i := 0; i < len(b); {
		x := rng.Uint64()
		for j := 0; j < 8 && i < len(b); j++ {
			b[i] = alphabet[int(x&0xff)%len(alphabet)]
			x >>= 8
			i++
		}
	}
}

func randString(rng *rand.Rand, n int, alphabet string) string {
	b := make([]byte, n)
	fill(b, alphabet, rng)
	return string(b)
}

func fillUUID(b []byte, rng *rand.Rand) {
	fill(b, hexDigits, rng)
	b[8], b[13], b[18], b[23] = '-', '-', '-', '-'
	b[14] = '4'
	b[19] = "89ab"[rng.IntN(4)]
}

func uuid(rng *rand.Rand) string {
	b := make([]byte, 36)
	fillUUID(b, rng)
	return string(b)
}
