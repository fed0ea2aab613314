package rules

// AWS Budgets: every change is ModifyBudget, every read ViewBudget.
func init() {
	register(&Service{
		Prefix:        "budgets",
		Vars:          map[string]VarRule{"BudgetName": {Paths: []string{"budgetName", "budget.budgetName", "newBudget.budgetName"}}},
		AccountFields: []string{"accountId"},
		Renamed: map[string][]Act{
			"CreateBudget":                       Acts("budgets:ModifyBudget"),
			"UpdateBudget":                       Acts("budgets:ModifyBudget"),
			"DeleteBudget":                       Acts("budgets:ModifyBudget"),
			"CreateNotification":                 Acts("budgets:ModifyBudget"),
			"UpdateNotification":                 Acts("budgets:ModifyBudget"),
			"DeleteNotification":                 Acts("budgets:ModifyBudget"),
			"CreateSubscriber":                   Acts("budgets:ModifyBudget"),
			"UpdateSubscriber":                   Acts("budgets:ModifyBudget"),
			"DeleteSubscriber":                   Acts("budgets:ModifyBudget"),
			"DescribeBudget":                     Acts("budgets:ViewBudget"),
			"DescribeBudgets":                    Acts("budgets:ViewBudget"),
			"DescribeNotificationsForBudget":     Acts("budgets:ViewBudget"),
			"DescribeSubscribersForNotification": Acts("budgets:ViewBudget"),
			"DescribeBudgetPerformanceHistory":   Acts("budgets:ViewBudget"),
		},
	})
}
