//! Curated name lists for the PERSON detector, lower-case, whitespace-separated.
//!
//! Given names are international (English, Romance, Germanic, Nordic, Slavic, Greek, Arabic,
//! Turkish, Persian, South Asian, East Asian, African) so that a capitalised given name
//! followed by another capitalised token is a strong signal. Surnames raise confidence.
//! `AMBIGUOUS` are given names that are also common words, months or verbs; they need a
//! known surname or a context phrase. `NOT_NAME` are capitalised words that often follow a
//! given name in non-person phrases (places, organisations, products, calendar words).

pub const GIVEN: &str = "
aaron abby abdul abdullah abel abigail abraham adam adaora adebayo adele adeline adil aditi aditya adrian adriana adrien afua agata agnes agnieszka ahmad ahmed ahmet aida aidan aiden aiko aisha akira akosua alan alana alba albert alberto alejandra alejandro aleksandr aleksandra alena alessandra alessandro alex alexa alexander alexandra alexandre alexei alexis alfonso alfred alfredo ali alice alicia alina alisha alison alissa allison alma alok alonso alvaro amado amal amanda amara amber amelia amelie amina amir amit amy ana anastasia anders andre andrea andreas andrei andres andrew andrzej andy aneesh angel angela angelica angelo anil anita anja anjali ankit ann anna annabel anne annette annie anoushka anthony antoine anton antonia antonio anya arash archie ariana ariel arjun arman armando arnav arne arnold aroha arthur arturo arun aryan asha ashley ashok astrid ata augustin aurora austin ava avery axel ayaan ayesha ayumi aziz
babajide bahar baptiste barbara barry bartosz basil beata beatrice beatriz ben benedict benjamin benoit bernard bernardo bertrand beth bethany betty bianca bilal birgit bjorn blake bogdan boris brad bradley brandon brenda brendan brian bridget brigitte brittany bruno bryan bukola
caleb camila camille candice carina carl carla carlos carlo carmen carol caroline carolyn carsten casey cassandra catalina caterina catherine cecile cecilia cedric celine cesar chad chaim chandra charles charlie charlotte chelsea cheng chen chiara chidi chinedu chioma chloe chris christian christina christine christoph christophe christopher chukwuma cindy claire clara clarissa claude claudia claudio clement colin connor conor constance corinne cristina cristian curtis cynthia
dagmar daisuke dalia damian damien dan dana daniel daniela daniele danielle danny dante daria dario darius darko darren david davide dawid dawn debbie deborah declan deepa deepak deirdre delphine demetrius denis denise dennis derek desmond devendra diana diane diego dimitri dimitrios dina divya dmitri dmitry dominic dominik dominique donald donna dorota dorothy douglas duc duncan dylan
eamon edgar edith eduardo edward edwin efua eileen elaine elena eleni eli elias elif elijah elisa elisabeth elise eliza elizabeth ella ellen ellie elliot eloise elsa emeka emil emilia emilie emilio emily emine emma emmanuel emre enrique enzo eoin eric erica erik erika erin ernesto esra esteban esther ethan eugene eva evan evelyn ewa ezra
fabian fabio fabrice farah farhan fariba farid fatima fatma federica federico felipe felix fernanda fernando filip filippo finn fiona florian fong francesca francesco francis francisco franco francois franz freddie frederik freya fumiko
gabriel gabriela gabriele gabrielle gaurav gavin geeta gemma genevieve geoffrey george georgia georgios gerald gerard gerhard giacomo gianluca gilbert gillian gina giorgio giovanni giulia giuseppe gloria gonzalo gordon graham greg gregory greta gunther gustavo gwen
hamid hamza hana hannah hans harald hari harold harper harriet harry haruka haruto hassan heather hector heidi heike helen helena helga henri henrik henry herbert hiroshi hiroko hoang hugh hugo hui hussein
ian ibrahim ida ifeoma igor ilya imani imran ines inga ingrid ioana irene irina iris isaac isabel isabella isabelle ismail ivan ivana izabela
jack jackie jacob jacqueline jade jake jakob jakub james jamal jamie jan jana jane janet janice janina jared jason javier jay jayden jean jeff jeffrey jelena jennifer jenny jens jeremy jerome jesper jessica jesus jia jian jill jim jimena jin joan joanna joao joaquin jocelyn jodie joe joel johan johanna johannes john jon jonas jonathan jordan jorge jose josef joseph josephine joshua josiah juan judith julia julian juliana julie julien julio junaid jun juno jurgen justin
kai kamal kamala karen karim karin karina karl karolina kasper katarina kate katharina katherine kathleen kathryn katie katrin kavya kayla keiko keith kelly kemal ken kenji kenneth kevin khadija khalid kim kimberly kiran kirsten klaus kofi kojo konrad kristen kristina krzysztof kumar kwabena kwame kyle
lakshmi lars laura lauren laurent lea leah leila lena leo leon leonardo leonie leticia liam lily lina linda lionel lisa liu liv lorenzo lotte louis louise luc luca lucas lucia luciana lucy luis luisa lukas lukasz luke ludwig lydia
madeleine madison magdalena magnus mahmoud maja malik manuel manuela mara marcel marcela marcin marco marcos marcus margaret margarita maria mariam mariana marie marina mario marion marisol marius marjorie marta martha martin martina mary maryam mateo mateusz mathias matilda matteo matthew matthias maura maureen mauricio maurice maxim maximilian megan mehdi mehmet mei melanie melissa mia michael michaela michal michel michelle miguel mikael mikhail mila milan milena min minh ming miriam mitchell mohamed mohammad mohammed monica monika morgan moritz mustafa
nadia nadine nancy naoki naomi natalia natalie natasha nathan nathaniel neha neil nelson nia niamh nicholas nicola nicolas nicole niels nikhil nikita nikolai nikolaos nils nina noah noemi nora norbert nour nuno
obinna ola olamide olaf oleg olga oliver olivia olivier omar oscar osagie oskar otto owen
pablo padma paola paolo parisa parth pascal patricia patrick paul paula paulina pavel pedro peter petra philip philipp philippe pierre pietro piotr pooja prakash pranav priya priyanka
qiang quentin quinn
rachel radek rafael rafal rahul raj rajesh ralph ramon randy raphael rashid raquel rebecca reggie reinhard rekha renata rene renee ricardo riccardo richard rick rita robert roberta roberto robin rocio rodrigo roger rohan roland roman ronald rosa rosalind rosario roxana ruben rui rupert russell ruth ryan ryo
sabine sabrina sachin sadia sakura salma salvatore sam samantha sami samir samira samuel sandeep sandra sanjay santiago sanya sara sarah sasha satoshi saul scott sean sebastian sebastien selin sergei sergey sergio seung shanice shankar sharon shauna sheila shelby shirin shlomo shreya siddharth sigrid silvia simon simone sina siobhan sofia sophia sophie soren stefan stefania stefano steffen stella stephan stephanie stephen steve steven stuart sudhir suleiman sunil suresh susan susanne suzanne sven svetlana sylvia sylvie
tadeusz takashi takeshi tamara tanya tara tariq tatiana taylor teresa terrence thabo thanh theo theodore theresa thierry thomas thomasz tiago tim timothy tobias todd tomas tomasz tommaso toni tony tore tracy travis trevor tristan tyler
ulrich ulrike uma umar ursula usman
valentina valeria valerie vanessa varun vasily vera veronica veronika victor victoria vijay vikram vincent vincenzo viola violet vishal vivek vladimir
walter wanjiru wei wendy werner wesley wiktoria wilhelm william wojciech wolfgang
xavier xiaoming xin xu
yael yan yann yaroslav yasmin yasmine yetunde yi ying yoshiko yosef youssef yuki yuri yusuf yves
tom rob matt pete liz meg jen greg ed
zahra zainab zara zeynep zhang zhen zoe zofia zoltan

aaliyah abbie ada addison adrianna agatha aileen alberta alec alexandria alfie alicia allan allen alvin amos andrea
angie annabelle annika antonio april archer ariel arlene arturo ashton aubrey audrey autumn barney beau becky bella
benny bernadette bernice beverly billie billy blair bobby bonnie brady brett briana bridget brittney brooke bruce
bryce byron calvin cameron camden candace cara carlton carmen carrie carter cary cassidy cecil celeste chandler
charlene chester cheryl christy clarence clay clayton clifford clint clyde cody colby cole connie conrad cora corey
courtney craig crystal daisy dale dallas damon darla darnell darryl dave dean deanna debra delia della delores
desiree devin dexter diane dolly dominick don donovan doreen doris dorothy drew dustin dwayne dwight earl ebony
eddie edna edwina eileen elena elias elisa ellie elmer elsie elvis emerson emmett ernest ernie estelle esther ethel
etta eva everett faye felicia fernando flora florence floyd forrest frances francine freda frederick gail garrett
gary gene geneva genevieve gerald geraldine gertrude gilbert ginger gladys glen glenda glenn grady grant gregg
gretchen gwendolyn hailey hal harlan harvey hattie hazel heath hector heidi henrietta herman hilda holly homer
howard hubert ira irma irving isaiah ivy jacqueline jaime jan janelle janie jared jasmine jasper javier jean
jeanette jeanne jenna jerome jerry jesse jessie jillian jo joann joanna jody joey johnnie johnny jolene jonah
josephine joy joyce juanita judy julian june justine kara karla kasey kathy katrina kay kayla keith kelsey kendra
kent kerry kirk kristin kristy kurt lacey lamar lana lance larry latoya laurel laverne lawrence leland lena leona
leroy leslie lester lewis lillian lindsay lindsey lloyd logan lois lola lonnie loretta lori lorraine lou louisa
lowell lucille luther lyle lynda lynn mabel mack mae maggie malcolm mamie mandy marcia marcy margie marguerite
marian marianne marilyn marjorie marla marlene marsha marshall marty marvin maxine melinda melody melvin mercedes
meredith merle micheal mickey mike mildred millie milton minnie miranda misty molly monique myra myrtle nadine
natalia ned nell nellie nettie nichole nick nicky noel nolan norma olga ollie opal orville otis pamela patsy
patti patty pearl peggy penelope percy perry phoebe phyllis preston priscilla rachael ramona randall randolph
raul raymond reba regina reginald rhonda ricky riley rita roberta rochelle rodney rolando ronnie rory rosalie
roscoe rosemary rosie ross roxanne roy ruby rudolph rudy russ sabrina sadie sally salvador sammy sandy savannah
selena seth shane shannon shari sharon shawn shelley sheri sherman sherri sheryl shirley sidney silas sonja sonya
spencer stacey stacy stan stanley stella sue sylvester tabitha tamika tammy tanner tasha ted teddy terri terry
thelma theodora tiffany tina toby tommy tonya tracey travis trisha troy tyrone valerie vaughn velma vern vernon
vicki vickie vince viola virgil virginia vivian wallace wanda warren wayne wendell wilbur willard willie wilma
winifred yolanda yvette yvonne zachary zack

abena abimbola adaeze adwoa akua amira ayodele babatunde bolaji chiamaka chidinma chinwe chukwudi damilola ebere emeka
folake funmilayo ikechukwu kehinde kunle lerato lindiwe mandla nkechi nnamdi nomvula oluwaseun oluwadamilare sipho
tendai thandiwe themba tunde uchenna yaw zanele zodwa
abdel abdelaziz abdallah adnan ahmad akram amr anwar ashraf basma bashir dalia dina ehab faisal farouk ghada hadi
hala hamza hanan haifa hassan hisham hoda hussam ibtisam jamila jawad karima khaled khalil laila layla lamia
mahmoud majid marwan mona mostafa nabil nadia naguib nasser noor omar rami rana reem rima saad safiya said salah
salim sameh sana sara sherif tarek walid wael yasmin youssef zeinab ziad
aarav abhishek akash amitabh anand anika arjun ashwin bhavna chetan devika dhruv gautam gita harish indira ishaan
jatin kavita kiran krishna lakshman madhav manish meena mohan mukesh nandini neeraj nisha parvati prakash prateek
rakesh ramesh ravi reshma rohit sanjana santosh shankar shilpa shiva shyam smita sonia srinivas subhash sunita
swati tanvi uday usha vandana vinay yash
an bao binh dung hai hieu hung huong khanh lan linh long mai nam ngoc phuong quang tam thao thi trang trung tuan
van viet xuan
akiko ayaka daiki emi haruki hina kaito kazuki kenta mai makoto mei misaki nanami naoko rei ren riku rin sayuri
shota sora takumi tomoko yui yusuke yoko
bo-ra da-eun do-yoon eun-ji hye-jin ji-ho ji-woo ji-yeon min-jun min-seo seo-yeon soo-jin woo-jin ye-jin
chun fang hao hong jie jing jun lei li lian ling na ping qing rong shu tao ting wen xia xiu yan yong yu yun
aleksei anatoly arkady bogdana darya evgeny galina gennady grigory inna kirill ksenia larisa lyudmila maksim
marina nadezhda oksana pyotr rostislav ruslan stanislav taras valentin vasilisa vitaly yelena yulia zhanna
agustin alba ainhoa alvaro amparo aurelio benito candela consuelo dolores encarnacion esperanza felipe gonzalo
guadalupe ignacio inmaculada jaime lorena lucia macarena marcelo matias mercedes milagros nicolas pilar ramiro
rocio sergio soledad valeria ximena
anouk bram daan fenna femke jasper joost lieke luuk maarten milou niek pim ruben sanne sem stijn thijs tijn
bjarne elin freja hedda ingeborg kari linnea ragnar sigurd solveig tove ulf
beatriz caio carolina conceicao fabiola fernao gilberto heloisa ines joaquim leandro lorena marta renato
sebastiao thiago vinicius
amelie anais aurelien bastien benedicte celestin clementine corentin eloise etienne gaspard gaelle guillaume
helene lea lucile margaux maxime mathilde noemie oceane romain solene timothee yannick
";

/// Given names that are also ordinary words, months, verbs or brands: need a surname or context.
pub const AMBIGUOUS: &str = "
april art august autumn bill bob brook chase christian crystal dawn dean destiny faith frank
grace guy hope hunter ivy jack jade jasmine joy june justice king lane lee love mark max may
miles new norman page paris pat patience penny pearl rich river rose ruby sage scott sky
sterling summer sunny victor will winter young rusty cash ray reed wade wood earl
";

pub const SURNAMES: &str = "
abbott acosta adams adeyemi afolabi aguilar ahmed alexander ali allen alvarez anderson andersson andrews armstrong arnold ashworth atkinson
bailey baker baldwin banerjee barnes barker barrett bauer baumann becker bell bennett berg berger bernard bertrand bhatt bianchi bishop black blake bose bowman boyd bradley brady brooks brown bruno bryant burke burns butler
caldwell campbell cardenas carlsson carpenter carr carter castillo castro chan chandra chang chapman chatterjee chavez chen cheng cho choi chopra chowdhury christensen clark clarke cohen cole coleman collins colombo conti cook cooper costa cox crawford cruz cunningham
da dahl das davidson davies davis dawson de del delgado dias diaz dijkstra dixon doe dominguez douglas doyle dubois duncan dunn dupont durand
edwards eklund elliott ellis evans
fernandez fernandes ferrari ferreira fischer fisher fitzgerald fleming flores ford foster fox francis franklin fraser freeman friedman fuchs fujita
garcia gardner garner garza ghosh gibson gilbert gill gomez gonzalez gonzales goodwin gordon graham grant gray green greene griffin gupta gustafsson guzman
hall hamilton hansen hanson harper harris harrison hart hartmann hayes henderson henry hernandez herrera hoffmann hoang holmes horvat howard huang huber hudson hughes hunt hussain
ibrahim ito iyer
jackson jacobs jain james jansen janssen jensen jimenez johansson johnson johnston jones jordan joshi jung
kaiser kapoor kato keller kelly kennedy khan kim king klein knight koch kowalski kozlov kramer krause kruger kumar kuznetsov
lambert lane larsen larson laurent lawrence lee lehmann leroy lewis li lim lin lindberg lindqvist liu lombardi long lopez lorenz lucas luna
macdonald mahmoud malik mancini marchetti marino marshall martin martinez martins mason matsumoto mayer mcdonald mckenzie medina mehta mendez mendoza meyer miller mills mishra mitchell mohamed molina moore morales moreau moreno morgan morris moss muller murphy murray
nakamura nair navarro nelson neumann nguyen nichols nielsen nilsson novak nowak
obi obrien oconnor okafor okonkwo oliveira olsen olson ortiz owens
palmer park parker patel patterson pearson pereira perez perry peters petersen peterson petrov phillips pierce popescu porter powell price pham
quinn
ramirez ramos rao reddy reed reid reyes reynolds ricci richard richards richardson rivera roberts robertson robinson rodrigues rodriguez rogers romano romero rose ross rossi roux russell russo ryan
saito sanchez sanders santos sato schmid schmidt schmitt schneider scholz schroeder schulz schwarz scott shah sharma shaw shevchenko silva simmons simpson singh smith snyder sokolov sorensen soto souza spencer stewart stone suarez sullivan suzuki svensson
takahashi tanaka taylor thomas thompson torres tran tucker turner
vargas vasquez vega verma visser vogel volkov
wagner walker wallace walsh wang ward warren watanabe watson weber webb weiss wells west white williams williamson wilson wolf wong wood wright wu
xu
yadav yamamoto yang yilmaz young yu
zhang zhao zhou zimmermann

abrams acevedo adkins aguirre alford allison alvarado andrade atkins austin avery ayala ballard banks barber barnett
barr barton bass bates beck benson best bird blackburn blair blankenship bolton bond booth boone bowen bowers
boyer bradford branch brennan bridges briggs britt brock browning buchanan buck burch burgess burnett burton bush
byrd cain calderon cannon cantrell carey carlson carney carroll carson case cash castaneda chambers chandler
christian church clay clayton cline cobb cochran cody collier combs compton conley conner conway copeland cortez
craig crane crosby cross cummings curry dalton daniel daniels davenport dean decker dennis donovan dorsey dougherty
downs drake duffy dugan durham dyer eaton ellison emerson english erickson espinoza estes farmer farrell faulkner
ferguson fields figueroa finch finley fitzpatrick floyd flynn forbes fowler francis frazier french frost fry fuller
gaines galloway gamble gates gentry gibbs gilmore glass glenn golden goodman gould graves gregory griffith grimes
gross hale haley hammond hampton hancock hardy harmon harrington hartman hawkins hayden haynes head hebert hess
hickman higgins hines hinton hobbs hodge hodges hogan holden holland holloway holt hood hooper hopkins horn horton
houston howell hubbard huff hull humphrey hurley hutchinson hyde ingram irwin jacobson jarvis jefferson jenkins
jennings jensen jimenez johns jordan joyce kane keith keller kemp kerr key kidd kirby kirk klein knapp knox lamb
lang lara lawson leach leblanc levy lindsey little livingston logan love lowe lowery lynch lyons mack maddox
mann manning marks marsh massey mathews maxwell maynard mays mcbride mccarthy mccoy mcdaniel mcgee mcintosh mckay
mcknight mclaughlin mcmillan mcneil meadows melton mercer merritt meyers middleton miles miranda monroe montgomery
moody moon morrison morrow morse mueller mullins munoz myers nash neal newman newton nicholson nixon noble nolan
norman norris norton oneal oneill osborne owen pace pacheco padilla page parks parrish parsons patrick payne
pearce pena pennington perkins pittman pollard poole pope potter pratt preston pruitt pugh quinn ramsey randall
randolph ray raymond reese reeves rhodes rice rich riley rivas roach robbins robles rocha rodgers rollins roman
rosales rowe rowland rush salazar salinas sampson sandoval saunders savage sawyer schultz schwartz sellers
sharp shelton shepherd sherman shields short sims skinner slater small snow solis sparks spears stafford stanley
stark steele stephens stevens stevenson stokes stout strickland summers sutton sweeney swanson talley tate terry
thornton todd townsend travis trujillo tyler underwood valdez valencia vance vaughn velasquez vincent wade walls
walters walton ware waters watkins weaver webster welch wheeler whitaker whitehead whitney wiggins wilcox wilder
wilkerson wilkins wilkinson willis winters wise witt wolfe woodard woods wooten wyatt york

haddad mansour nasser saleh khoury hakim aziz bakr farah habib hamdan karam nassar qureshi rahman siddiqui
sheikh chaudhry malhotra kulkarni naidu pillai menon agarwal bhat desai ghosh kapoor mukherjee saxena sinha
trivedi venkatesan
adeyemi adebayo balogun eze nwosu obi okafor okeke olawale onyango otieno mwangi kamau njoroge nkosi dlamini
ndlovu mokoena boateng mensah asante owusu appiah
bauer becker brandt engel frank friedrich graf haas hahn hofmann jung kaiser koenig lange maier meier moller
pohl richter roth sauer schuster seidel simon stein vogt walter werner winkler wolff ziegler
bianchi colombo conti costa esposito fontana gallo greco leone lombardi marini moretti rinaldi romano
ruggiero santoro sartori villa
alonso blanco castro delgado dominguez fuentes gil gutierrez iglesias lozano marin medina molina moreno
munoz navarro ortega prieto ramos rubio serrano torres vazquez
andersen berg dahl eriksen hagen haugen holm johansen karlsen larsen lund moen nilsen olsen pedersen solberg
bakker bos dekker de vries hendriks jansen kok meijer mulder peters smit van dijk visser vos willems
ivanov ivanova petrova smirnov smirnova popov popova volkova morozov novikov fedorov sokolova lebedev
kowalska nowakowski wisniewski wojcik kaminski lewandowski zielinski szymanski wozniak dabrowski
yilmaz kaya demir sahin celik yildiz yildirim ozturk aydin ozdemir arslan dogan
holmes watson moriarty hudson lestrade pichai nadella cook musk bezos
";

/// Capitalised words that end a name sequence or veto one: calendar words, places,
/// organisation and address words, common product words.
pub const NOT_NAME: &str = "
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
street st avenue ave road rd boulevard blvd lane drive court place parkway way square station
airport hotel park bridge hill city county state province district valley beach island lake river mountain
inc ltd llc gmbh corp corporation company co group bank university college school institute hospital clinic
foundation association society agency department ministry council committee team club church
north south east west new old san santa los las saint st. fort port mount
the a an and or of for in on at to with from by is are was were be this that these those it its we you they he she i
america american europe european asia african africa australia canada china india japan germany france spain italy brazil
london paris berlin madrid rome tokyo york boston chicago seattle austin dallas houston denver phoenix sydney toronto
street, api sdk cli app apps server client cloud web online pro plus max mini ultra edition version beta release
notes notebook studio code chat gpt assistant model models engine framework library service services platform
summary report update meeting agenda project plan review team's account invoice order payment support help
dear hi hello hey thanks regards best sincerely cheers
tech house opera hall center centre museum stadium arena tower building mall festival award awards prize cup
league championship conference summit day week month year time times post news journal magazine press books
records pictures films studios games show series season episode chapter part act law code protocol program
programme initiative fund trust estate labs lab systems technologies technology solutions partners capital
ventures media health motors airlines airways pharma energy insurance holdings industries international global
national federal royal united republic kingdom empire union council senate congress parliament court supreme
texas california florida washington virginia carolina dakota georgia jersey nevada arizona oregon ohio michigan
alabama alaska colorado connecticut delaware hawaii idaho illinois indiana iowa kansas kentucky louisiana maine
maryland massachusetts minnesota mississippi missouri montana nebraska hampshire mexico oklahoma pennsylvania
rhode tennessee utah vermont wisconsin wyoming
england scotland wales ireland britain netherlands belgium switzerland austria sweden norway denmark finland poland
russia ukraine turkey greece portugal egypt nigeria kenya ghana israel iran iraq pakistan bangladesh indonesia
vietnam thailand korea philippines singapore malaysia argentina chile colombia peru venezuela cuba
amsterdam brussels vienna zurich geneva munich hamburg frankfurt milan barcelona lisbon dublin edinburgh manchester
moscow istanbul cairo lagos nairobi dubai mumbai delhi bangalore shanghai beijing seoul singapore melbourne
vancouver montreal atlanta miami detroit philadelphia portland orlando vegas angeles francisco diego jose
language languages learning intelligence science engineering studies data research network software hardware
python java javascript typescript kotlin swift golang rust ruby perl scala haskell linux windows android ios
excel word powerpoint outlook teams slack zoom google microsoft apple amazon meta netflix tesla openai anthropic
pier harbor harbour bay point heights springs falls gardens canyon creek ridge grove forest woods
coast shore peninsula glacier desert plains field fields airport terminal pass gate port marina
string str option vec box result self object number boolean bool integer int float double char byte long
short void unit value type text list map array date datetime any null nil true false some ok err error
customer customers sir madam colleague colleagues friend friends all everyone user users member members
client clients partner partners valued applicant candidate hiring manager there folks guys readers
";

/// Honorifics; the name after them is a person even when the list does not know it.
pub const TITLES: &str = "mr mrs ms miss mx dr prof professor sir dame madam herr frau mme mlle sr sra srta señor señora senor senora dott signor signora";
