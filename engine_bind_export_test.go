package lswebhook

// ConvertForBench reads a valid payload into a tape once and returns a
// function that converts that tape into a new event each time it is
// called, as Decode's last step does (after the copy for Raw), and a
// function that hands the tape back. It is for BenchmarkConvert, which
// measures the converter alone.
func ConvertForBench(data []byte) (convert func() (Event, error), release func(), err error) {
	t, err := parse(data, DefaultMaxDepth)
	if err != nil {
		return nil, nil, err
	}
	action, err := findAction(t)
	if err != nil {
		t.Release()
		return nil, nil, err
	}
	v, known := byAction[action]
	if !known {
		t.Release()
		return nil, nil, ErrUnknownAction
	}
	t.Own()
	d := &Decoder{}
	convert = func() (Event, error) {
		ev := v.new()
		ps, total := binder().Decode(t, 0, ev, "action", d.maxProblems())
		if total > 0 {
			return nil, &ValidationError{Action: action, Problems: problems(ps), More: total - len(ps)}
		}
		return ev, nil
	}
	return convert, t.Release, nil
}
