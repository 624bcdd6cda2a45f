//! Concept lexicon: each word (lowercased, accents stripped) maps to the concepts it can stand
//! for. Rules are written over concepts, not strings, so one rule covers its synonyms and the
//! common European languages ("ignore"/"ignora"/"ignorez"/"ignoriere"/"vergiss" are all OVERRIDE).

pub(crate) const OVERRIDE: u64 = 1 << 0;
pub(crate) const PRIOR: u64 = 1 << 1;
pub(crate) const TARGET: u64 = 1 << 2;
pub(crate) const ALL: u64 = 1 << 3;
pub(crate) const YOUR: u64 = 1 << 4;
pub(crate) const EVERYTHING: u64 = 1 << 5;
pub(crate) const NEG: u64 = 1 << 6;
pub(crate) const FOLLOW: u64 = 1 << 7;
pub(crate) const VOID: u64 = 1 << 8;
pub(crate) const NEW: u64 = 1 << 9;
pub(crate) const TASK: u64 = 1 << 10;
pub(crate) const ROLE: u64 = 1 << 11;
pub(crate) const UNRESTRICTED: u64 = 1 << 12;
pub(crate) const NOLIM: u64 = 1 << 13;
pub(crate) const LIMIT: u64 = 1 << 14;
pub(crate) const BOUND: u64 = 1 << 15;
pub(crate) const AI: u64 = 1 << 16;
pub(crate) const EXTRACT: u64 = 1 << 17;
pub(crate) const SYS: u64 = 1 << 18;
pub(crate) const PROMPTW: u64 = 1 << 19;
pub(crate) const VERBATIM: u64 = 1 << 20;
pub(crate) const HYPO: u64 = 1 << 21;
pub(crate) const HARM: u64 = 1 << 22;
pub(crate) const DETAIL: u64 = 1 << 23;
pub(crate) const GRANDMA: u64 = 1 << 24;
pub(crate) const READING: u64 = 1 << 25;
pub(crate) const EXFIL: u64 = 1 << 26;
pub(crate) const SENSITIVE: u64 = 1 << 27;
pub(crate) const CONCEAL: u64 = 1 << 28;
pub(crate) const USER: u64 = 1 << 29;
pub(crate) const META: u64 = 1 << 30;
pub(crate) const DISCUSS: u64 = 1 << 31;
pub(crate) const REFUSE: u64 = 1 << 32;
pub(crate) const DECODE: u64 = 1 << 33;
pub(crate) const EXEC: u64 = 1 << 34;
pub(crate) const TRANSLATE: u64 = 1 << 35;
pub(crate) const DOC: u64 = 1 << 36;
pub(crate) const TOOL: u64 = 1 << 37;
pub(crate) const QUESTION: u64 = 1 << 38;
pub(crate) const GIVEN: u64 = 1 << 39;
pub(crate) const URLW: u64 = 1 << 40;
pub(crate) const CODE: u64 = 1 << 41;
pub(crate) const YOU: u64 = 1 << 42;
pub(crate) const WHEN: u64 = 1 << 43;
pub(crate) const ADDR: u64 = 1 << 44;
pub(crate) const DEAD: u64 = 1 << 45;
pub(crate) const THE: u64 = 1 << 46;
pub(crate) const TEXTW: u64 = 1 << 47;
pub(crate) const MY: u64 = 1 << 48;
pub(crate) const MENTION: u64 = 1 << 49;
/// ROT13 of common English function words: a cheap gate for the ROT13 check.
pub(crate) const ROTHINT: u64 = 1 << 50;
/// An abrupt change of course ("stop", "halt", "instead", "change of plan").
pub(crate) const PIVOT: u64 = 1 << 51;
/// A verb that makes the model produce output ("say", "print", "reply").
pub(crate) const SAY: u64 = 1 << 52;
/// Joining supplied pieces ("combine", "concatenate", "assemble").
pub(crate) const COMBINE: u64 = 1 << 53;
/// Where in the conversation ("above", "before", "top", "start").
pub(crate) const WHERE: u64 = 1 << 54;
/// The conversation's landmarks ("first message", "context window", "this chat").
pub(crate) const ANCHOR: u64 = 1 << 55;
/// Who configures a deployed model ("developer", "operator", "creators").
pub(crate) const MAKER: u64 = 1 << 56;
/// "From now on" in languages the phrase list lacks ("vanaf nu", "отныне", "从现在起").
pub(crate) const NOWON: u64 = 1 << 57;

/// (concept, space-separated words).
pub(crate) const LEXICON: &[(u64, &str)] = &[
    (
        OVERRIDE,
        "ignore ignoring disregard disregarding forget forgetting override overriding overwrite \
         bypass skip discard neglect abandon drop cancel circumvent evade sidestep negeer vergeet scrap dismiss delete erase ditch \
         ignora ignorar ignoren ignores olvida olvidate olvidar olviden omite omitir descarta descartar \
         desestima ignorez ignorer oublie oubliez oublier ignoriere ignorieren ignorier vergiss \
         vergessen vergesst missachte missachten verwirf ignorate dimentica dimenticate dimenticare \
         ignorare tralascia esqueca esquecer esquece esquecam desconsidere desconsiderar descarte",
    ),
    (
        PRIOR,
        "previous prior above earlier preceding former initial original old existing before \
         foregoing aforementioned past preexisting current anteriores anterior previas previos precedentes \
         precedente arriba antes anteriormente anterieures anterieurs anterieure dessus avant \
         vorherigen vorherige vorigen bisherigen obigen fruheren fruhere alten vorher zuvor oben \
         precedenti sopra prima acima davor bisher vorige eerdere",
    ),
    (
        TARGET,
        "instructions instruction rules rule guidelines guideline prompt prompts directives \
         directive commands context constraints brief briefing instructies regels restrictions programming guidance policies \
         policy training safeguards guardrails filters limitations directions conditioning \
         instrucciones instruccion indicaciones reglas normas directrices consignes regles \
         anweisungen anweisung regeln vorgaben richtlinien befehle anordnungen instruktionen \
         istruzioni istruzione regole direttive indicazioni instrucoes instrucao regras diretrizes \
         orientacoes comandos",
    ),
    (
        ALL,
        "all any every each todas todos toda todo toutes tous toute tout alle allen aller alles \
         tutte tutti tutta tutto tudo",
    ),
    (
        YOUR,
        "your yours tu tus su sus tes ton ta vos votre dein deine deinen deiner deines deinem tuo tua \
         tue tuoi teu tuas teus seu sua suas seus thy",
    ),
    (
        MY,
        "my mine our mi mis mon ma mes mein meine meinen mio mia miei meu minha",
    ),
    (
        THE,
        "the a an these those this la las el los le les der die das den il lo gli as os o",
    ),
    (EVERYTHING, "everything anything todo tout alles tutto tudo"),
    (
        NEG,
        "not no dont never nicht kein keine ne pas non nao nunca jamais mai nie niemals doesn didn \
         won cannot shouldn mustn stop longer",
    ),
    (
        FOLLOW,
        "follow following obey obeying adhere comply heed abide sigas seguir sigues suivez suivre \
         befolge befolgen folge folgen segui seguire seguite obedece obedecer siga",
    ),
    (
        VOID,
        "void off null invalid obsolete revoked superseded outdated deprecated cancelled canceled \
         overridden suspended lifted disabled removed rescinded nullified expired irrelevant \
         replaced deactivated waived anuladas nulas invalidas obsoletas annulees caduques ungultig \
         aufgehoben annullate revogadas",
    ),
    (
        NEW,
        "new nuevas nuevo nueva nuevos nouvelles nouvelle nouveau nouveaux neue neuen neu neues \
         nuove nuova nuovo nuovi novas nova novo novos updated revised real true actual secret \
         hidden only primary",
    ),
    (
        TASK,
        "task tasks goal objective mission purpose job instructions directive directives orders \
         assignment tarea tareas objetivo mision tache taches objectif aufgabe aufgaben ziel \
         compito compiti obiettivo tarefa tarefas missao",
    ),
    (
        ROLE,
        "pretend pretending act acting roleplay roleplaying imagine simulate simulating behave \
         become emulate impersonate portray embody persona character role playing finge finja imagina actua \
         actue interpreta semblant joue spiele fingi immagina agisci aja",
    ),
    (
        UNRESTRICTED,
        "unrestricted uncensored unfiltered unlimited unbound unbounded unchained unshackled amoral \
         unethical immoral lawless rogue jailbroken limitless unconstrained unmoderated uninhibited \
         liberated unaligned unhinged",
    ),
    (
        NOLIM,
        "no without zero free none beyond bypass bypassing ignoring escaped sin sans ohne senza sem ninguna ninguno ningun aucune aucun nessuna nessun \
         nenhuma nenhum keine kein",
    ),
    (
        LIMIT,
        "restrictions restriction limits limitations limitation filters filter filtering moderation \
         censorship guidelines rules ethics ethical morals morality moral boundaries constraints \
         policies policy safeguards guardrails restraints principles programming safety warnings \
         shackles chains alignment consequences repercussions conditioning training \
         disclaimers caveats restricciones limites filtros filtro censura reglas regla etica filtre regle regel regola filtri regra regles ethique \
         einschrankungen grenzen zensur regeln ethik restrizioni limiti filtri regole restricoes \
         regras",
    ),
    (
        BOUND,
        "bound restricted limited constrained censored filtered governed obligated forced tied \
         beholden chained",
    ),
    (
        AI,
        "ai assistant model chatbot llm gpt chatgpt claude gemini bot agent agents chatbots assistants models llms bots openai anthropic summarizer summariser crawler scraper copilot bard llama ia \
         ki assistente asistente",
    ),
    (
        EXTRACT,
        "repeat print reveal show display output dump leak disclose echo recite expose tell give spill \
         share paste copy return spell type list quote provide reproduce regurgitate divulge \
         repite repetir muestra muestrame mostrar revela revelar imprime dime ensename montre \
         montrez affiche affichez revele revelez repete repetez donne donnez dis zeig zeige zeigen \
         gib geben wiederhole wiederholen verrate verraten nenne drucke mostra mostrami rivela \
         ripeti stampa dimmi mostre repita diga imprima",
    ),
    (
        SYS,
        "system initial original hidden secret preprompt metaprompt developer sistema systeme \
         systemprompt underlying internal confidential first",
    ),
    (
        PROMPTW,
        "prompt prompts instructions instruction rules guidelines configuration directives setup preamble briefing \
         initialization initialisation \
         programming preprompt systemprompt metaprompt instrucciones indicaciones reglas consignes \
         anweisungen regeln istruzioni regole instrucoes regras",
    ),
    (
        VERBATIM,
        "verbatim exactly literally unchanged unedited entirety raw integralement wortlich \
         textualmente letteralmente literalmente",
    ),
    (
        TEXTW,
        "text everything words content lines message messages conversation",
    ),
    (
        HYPO,
        "hypothetically hypothetical fictional fiction imagine story novel screenplay movie film \
         game purely theoretically theoretical universe scenario pretend dream",
    ),
    (
        HARM,
        "bomb bombs explosive explosives napalm meth methamphetamine cocaine heroin fentanyl poison \
         nerve sarin ricin anthrax bioweapon bioweapons weapon weapons malware ransomware keylogger \
         trojan rootkit hotwire steal cracker untraceable phishing counterfeit launder laundering murder thermite \
         molotov detonator grenade uranium plutonium lethal overdose",
    ),
    (
        DETAIL,
        "step steps detailed recipe exact precise working functional ingredients quantities synthesize synthesise \
         synthesis manufacture cook assemble tutorial procedure instructions measurements formula \
         blueprint",
    ),
    (
        GRANDMA,
        "grandma grandmother granny nana grandpa grandfather abuela abuelita oma nonna avo mother \
         father mom dad mum aunt uncle",
    ),
    (DEAD, "dead deceased late passed died"),
    (
        READING,
        "reading processing summarizing summarising summarize summarise parsing analyzing \
         analysing scanning reviewing ingesting crawling browsing indexing reads processes screening evaluating responding answering replying \
         see sees seeing read encounter encounters encountering",
    ),
    (
        EXFIL,
        "send sending forward forwarding email mail post upload exfiltrate transmit transfer leak \
         submit beacon visit navigate fetch",
    ),
    (
        SENSITIVE,
        "password passwords credentials credential secrets token tokens keys apikey cookies \
         cookie session ssn history conversation chat emails contacts personal private \
         confidential inbox database",
    ),
    (
        CONCEAL,
        "tell inform mention notify alert reveal disclose warn",
    ),
    (
        USER,
        "user users human humans owner operator recipient usuario utilisateur benutzer nutzer utente",
    ),
    (
        META,
        "injection injections jailbreak jailbreaks jailbreaking adversarial attack attacks attacker \
         attackers",
    ),
    (
        DISCUSS,
        "explain explaining what how why example examples detect detecting detection defend \
         defense defence defending prevent preventing prevention mitigate mitigation classifier \
         classify research paper article protect protection study definition describe \
         vulnerability vulnerabilities security owasp awareness blog lecture course presentation \
         dataset datasets evaluation benchmark redteam \
         essay question recognize spot defences defenses risk risks threat threats \
         mitigations safeguard",
    ),
    (
        REFUSE,
        "refuse refuses refusing refusal refusals decline declines declining reject deny censor apologize apologise apologizing apologising apologies \
         moralize",
    ),
    (
        DECODE,
        "decode decoded decoding decipher decrypt unscramble deobfuscate",
    ),
    (
        EXEC,
        "execute follow run obey perform carry implement do comply act siguelo sigalo \
         obedecelo ejecutalo ejecuta ejecutar executez execute befolge fuhre esegui eseguilo \
         execute executa",
    ),
    (
        TRANSLATE,
        "translate traduce traduire ubersetze traduci traduza",
    ),
    (
        DOC,
        "document email page text file message article website webpage content pdf doc site \
         review comment resume cv documents emails pages files messages articles websites \
         reviews comments resumes",
    ),
    (TOOL, "tool tools function plugin command shell terminal"),
    (
        QUESTION,
        "what which cual cuales quel quelle quels quelles was welche welcher quale quali qual quais",
    ),
    (
        GIVEN,
        "given received told taught provided programmed instructed dieron dado gegeben date dato deram donnees initialized initialised configured \
         loaded assigned give gave dadas recibidas recues erhalten \
         ricevute recebidas",
    ),
    (URLW, "http https www url link endpoint webhook"),
    (
        CODE,
        "import def fn const let var function return class tokenizer template chatml jinja code \
         python javascript typescript rust json yaml regex parser script snippet syntax api sdk \
         library struct tokens eos bos logs",
    ),
    (
        MENTION,
        "phrase phrases string strings sentence term expression keyword pattern regex quote \
         quoted mean means meaning says saying wording payload payloads logged flagged blocked \
         test tests report prompts",
    ),
    (ROTHINT, "gur naq lbh nyy lbhe vf gb bs"),
    (
        GIVEN | YOU,
        "recibiste dijeron recebeste disseram ricevuto recues",
    ),
    (YOU, "you youre du tu vous usted voce"),
    (WHEN, "when while whenever if before after once"),
    (
        ADDR,
        "note attention memo notice important message instructions instruction dear",
    ),
    (PIVOT, "stop halt instead actually halte stopp basta alto"),
    (
        SAY,
        "say print output reply respond write answer return type repeat tell state claim \
         convince insist",
    ),
    (
        COMBINE,
        "combine concatenate concatenated concat join merge assemble glue splice stitch \
         combined joined merged assembled combina concatena junta une kombiniere",
    ),
    (
        WHERE,
        "above before preceding precedes preceded precede prior top start beginning earlier first",
    ),
    (ANCHOR, "conversation chat thread session window turn"),
    (
        MAKER,
        "developer developers operator operators creator creators admin administrator \
         programmer programmers owner owners deployer company openai anthropic",
    ),
    // Dutch, Polish, Turkish (folded: accents stripped, dotless i as i).
    (
        OVERRIDE,
        "zignoruj zignorujcie ignoruj ignoruje zapomnij pomin odrzuc negeren",
    ),
    (
        PRIOR,
        "vorige eerdere voorgaande poprzednie poprzednich poprzednia wczesniejsze wczesniejszych \
         powyzsze onceki eski yukaridaki предыдущие прежние ранее выше",
    ),
    (
        TARGET | PROMPTW,
        "instructies regels richtlijnen instrukcje instrukcji polecenia zasady wytyczne \
         talimatlari talimatlar talimat kurallari kurallar",
    ),
    (
        ALL,
        "alle wszystkie wszystkich tum butun все всех всё любые 所有 全部 一切 すべて 全て",
    ),
    (
        EXTRACT,
        "laat toon geef herhaal onthul pokaz podaj ujawnij wypisz powtorz wyswietl powiedz goster \
         yaz tekrarla soyle покажи скажи выведи раскрои напиши повтори расскажи дай назови \
         显示 顯示 告诉 告訴 输出 輸出 打印 展示 泄露 重复 重複 表示 教えて 出力 見せて",
    ),
    (
        SYS,
        "systeem systeemprompt systemowy systemowe systemu sistem системныи системные \
         системная системы 系统 系統 システム",
    ),
    (
        PROMPTW,
        "systeemprompt istemini istem промпт 提示 提示词 提示詞 プロンプト 指令 指示",
    ),
    (
        TARGET,
        "指令 指示 说明 規則 规则 规定 命令 ルール 设定 設定",
    ),
    (
        YOUR,
        "jouw uw swoj swoje twoj twoje twoja twoich свои твои ваш ваши твоя свою твою 你的 您的 あなたの",
    ),
    (YOU, "jij jestes sen ты вы 你 您 あなた"),
    (YOU, "je"),
    (NOLIM, "zonder bez hicbir olmayan без 没有 无 無 ない なし"),
    (
        LIMIT,
        "beperkingen beperking ograniczen ograniczenia ograniczenie kisitlama kisitlamasi \
         kisitlamalar ограничении ограничения ограничении фильтров цензуры 限制 制限 约束 审查 過濾 过滤",
    ),
    (UNRESTRICTED, "无限制 無制限 不受限制"),
    (AI, "ии ассистент бот модель 人工智能 助手 模型"),
    (
        OVERRIDE,
        "忽略 忽视 忽視 無視 无视 忘记 忘記 忘掉 忘れ 跳过 跳過 игнорируи игнорируите забудь забудьте",
    ),
    (
        PRIOR,
        "之前 以前 先前 上面 上述 前面 これまで 前 bovenstaande voorafgaande",
    ),
    (NOWON, "отныне 从现在起 从现在开始 今後 これから"),
    (OVERRIDE, "unut unutun"),
    (UNRESTRICTED, "sinirsiz"),
    (ROLE, "davran"),
    (NOLIM, "geen released freed"),
    (LIMIT, "regels filtrow zasad zasady rule"),
    (AI, "modelem modelu"),
    (
        HARM,
        "nitroglycerin nitroglycerine tnt semtex cyanide chloroform ricin sarin",
    ),
    (VOID, "stripped"),
    (EXFIL, "bcc"),
    (OVERRIDE | PIVOT, "abort"),
    (OVERRIDE, "void revoke rescind nullify"),
    (PIVOT, "enough"),
    (COMBINE, "unite unify fuse"),
    (GIVEN, "opgedragen verteld gezegd powiedziano сказали"),
    (GIVEN | YOU, "dostałes dostales"),
    (SYS, "verborgen geheime"),
    (EVERYTHING, "wszystko alles всё все"),
    (YOUR, "твоем твоего твоеи вашем"),
    (EXTRACT, "recount"),
    (
        TARGET | PROMPTW,
        "инструкции инструкциям инструкция правила указания",
    ),
];
