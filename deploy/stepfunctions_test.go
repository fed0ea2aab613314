package deploy

// The checks on the fan-out's state machine: a well-formed graph of states,
// a Distributed Map that reads a JSONL manifest and batches it, and the
// handler modes it invokes the function with.

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

const stateMachinePath = "stepfunctions/fanout.asl.json"

// maxBatchInput is Step Functions' limit on a batch's input, 256 KiB.
const maxBatchInput = 256 * 1024

func loadStateMachine(t *testing.T) map[string]any {
	t.Helper()
	src, err := os.ReadFile(stateMachinePath)
	if err != nil {
		t.Fatal(err)
	}
	var def map[string]any
	if err := json.Unmarshal(src, &def); err != nil {
		t.Fatalf("%s: %v", stateMachinePath, err)
	}
	return def
}

// graphProblems checks one level of states (the machine's, or a Map's
// ItemProcessor's): StartAt and every Next, Default and Catch target name a
// state of that level, and every state either ends or goes on.
func graphProblems(where string, level map[string]any) []string {
	var problems []string
	states := asMap(level["States"])
	if len(states) == 0 {
		return []string{where + ": no States"}
	}
	target := func(from, to any) {
		if _, ok := states[fmt.Sprint(to)]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %s goes to %v, which is no state", where, from, to))
		}
	}
	target("StartAt", level["StartAt"])
	for name, raw := range states {
		st := asMap(raw)
		typ := fmt.Sprint(st["Type"])
		if st["Next"] != nil {
			target(name, st["Next"])
		}
		if st["Default"] != nil {
			target(name, st["Default"])
		}
		for _, c := range asList(st["Choices"]) {
			target(name, dig(c, "Next"))
		}
		for _, c := range asList(st["Catch"]) {
			target(name, dig(c, "Next"))
		}
		terminal := typ == "Succeed" || typ == "Fail" || typ == "Choice"
		if !terminal && (st["Next"] == nil) == (st["End"] != true) {
			problems = append(problems, fmt.Sprintf("%s: %s must have either Next or End: true", where, name))
		}
		if proc := asMap(st["ItemProcessor"]); proc != nil {
			problems = append(problems, graphProblems(where+"/"+name, proc)...)
		}
	}
	return problems
}

// lambdaTasks returns the states of a level that invoke a Lambda function.
func lambdaTasks(level map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, raw := range asMap(level["States"]) {
		if st := asMap(raw); st["Type"] == "Task" && strings.HasSuffix(fmt.Sprint(st["Resource"]), ":states:::lambda:invoke") {
			out[name] = st
		}
	}
	return out
}

func definitionProblems(def map[string]any) []string {
	problems := graphProblems("state machine", def)
	var maps []string
	for name, raw := range asMap(def["States"]) {
		if dig(raw, "Type") == "Map" {
			maps = append(maps, name)
		}
	}
	if len(maps) != 1 {
		return append(problems, fmt.Sprintf("want one Map state, have %v", maps))
	}
	m := asMap(dig(def, "States", maps[0]))
	check := func(ok bool, format string, args ...any) {
		if !ok {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	num := func(v any) float64 { f, _ := v.(float64); return f }

	check(dig(m, "ItemProcessor", "ProcessorConfig", "Mode") == "DISTRIBUTED", "Map state: ProcessorConfig.Mode %v, want DISTRIBUTED", dig(m, "ItemProcessor", "ProcessorConfig", "Mode"))
	check(strings.HasSuffix(fmt.Sprint(dig(m, "ItemReader", "Resource")), ":states:::s3:getObject"), "Map state: ItemReader does not read an S3 object")
	check(dig(m, "ItemReader", "ReaderConfig", "InputType") == "JSONL", "Map state: ItemReader's InputType %v, want JSONL", dig(m, "ItemReader", "ReaderConfig", "InputType"))
	batch := asMap(m["ItemBatcher"])
	check(num(batch["MaxItemsPerBatch"]) >= 1, "Map state: ItemBatcher without MaxItemsPerBatch")
	check(num(batch["MaxInputBytesPerBatch"]) >= 1 && num(batch["MaxInputBytesPerBatch"]) <= maxBatchInput,
		"Map state: MaxInputBytesPerBatch %v, want 1 to %d", batch["MaxInputBytesPerBatch"], maxBatchInput)
	check(dig(batch, "BatchInput", "mode") == ModeMap, "Map state: BatchInput.mode %v, want %q", dig(batch, "BatchInput", "mode"), ModeMap)
	check(num(m["MaxConcurrency"]) >= 1, "Map state: no MaxConcurrency")
	tolerated, ok := m["ToleratedFailurePercentage"].(float64)
	check(ok && tolerated >= 0 && tolerated <= 100, "Map state: ToleratedFailurePercentage %v, want 0 to 100", m["ToleratedFailurePercentage"])
	check(strings.HasSuffix(fmt.Sprint(dig(m, "ResultWriter", "Resource")), ":states:::s3:putObject"), "Map state: ResultWriter does not write to S3")
	check(dig(m, "ResultWriter", "Parameters", "Bucket") == "${StateBucket}", "Map state: ResultWriter writes to %v, want the state bucket", dig(m, "ResultWriter", "Parameters", "Bucket"))

	// The one task of each batch: the function in the batch's mode, with
	// the batch's items as its prefixes.
	modes := []string{ModeRun} // the schedule's
	tasks := lambdaTasks(asMap(m["ItemProcessor"]))
	check(len(tasks) == 1, "Map state: want one Lambda task per batch, have %d", len(tasks))
	for name, st := range tasks {
		payload := asMap(dig(st, "Parameters", "Payload"))
		check(payload["mode.$"] == "$.BatchInput.mode", "%s: the payload's mode is not the batch's", name)
		check(payload["prefixes.$"] == "$.Items", "%s: the payload's prefixes are not the batch's items", name)
		check(dig(st, "Parameters", "FunctionName") == "${FunctionArn}", "%s invokes %v", name, dig(st, "Parameters", "FunctionName"))
		modes = append(modes, fmt.Sprint(dig(batch, "BatchInput", "mode")))
	}

	// After the map, the reduce.
	next := fmt.Sprint(m["Next"])
	reduce, ok := lambdaTasks(def)[next]
	check(ok, "the state after the map, %s, does not invoke the function", next)
	if ok {
		check(dig(reduce, "Parameters", "Payload", "mode") == ModeReduce, "%s: mode %v, want %q", next, dig(reduce, "Parameters", "Payload", "mode"), ModeReduce)
		check(dig(reduce, "Parameters", "FunctionName") == "${FunctionArn}", "%s invokes %v", next, dig(reduce, "Parameters", "FunctionName"))
		modes = append(modes, fmt.Sprint(dig(reduce, "Parameters", "Payload", "mode")))
	}
	if !slices.Equal(modes, HandlerModes) {
		problems = append(problems, fmt.Sprintf("the templates invoke modes %v; HandlerModes lists %v", modes, HandlerModes))
	}
	return problems
}
