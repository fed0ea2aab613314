package rules

// Amazon SageMaker.
func init() {
	register(&Service{
		Prefix: "sagemaker",
		PassRoles: map[string][]PassRule{
			"CreateTrainingJob":             {{Paths: []string{"roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateProcessingJob":           {{Paths: []string{"roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateModel":                   {{Paths: []string{"executionRoleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateNotebookInstance":        {{Paths: []string{"roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateAutoMLJob":               {{Paths: []string{"roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateCompilationJob":          {{Paths: []string{"roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateLabelingJob":             {{Paths: []string{"roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreatePipeline":                {{Paths: []string{"roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateHyperParameterTuningJob": {{Paths: []string{"trainingJobDefinition.roleArn"}, Service: "sagemaker.amazonaws.com"}},
			"CreateDomain":                  {{Paths: []string{"defaultUserSettings.executionRole"}, Service: "sagemaker.amazonaws.com"}},
			"CreateUserProfile":             {{Paths: []string{"userSettings.executionRole"}, Service: "sagemaker.amazonaws.com"}},
		},
	})
}
