package rules

// Amazon Lex (V1 and V2, logged as models.lex and runtime.lex too).
func init() {
	register(&Service{
		Prefix: "lex",
		// Lex V2 names a bot by id; its botName is then not a V1 bot.
		Vars: map[string]VarRule{"BotName": {Paths: []string{"botName"}, When: absent("botId")}},
		ActionVars: map[string]map[string]VarRule{
			// Lex V2 makes a new bot's id, and its test alias's, as it
			// creates them: any bot and alias. Its botName names no V1 bot.
			"CreateBot": {"BotId": created, "BotAliasId": created, "BotName": {}, "BotAlias": {}},
		},
	})
}
