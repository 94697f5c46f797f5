package kb

import "strings"

// englishStopWords are the words of the Snowball English stop list
// (snowballstem.org, BSD licence), apostrophes as typed, plus "can",
// "just" and "will", and the courtesies of a ticket ("hello", "thanks",
// "please", "regards"). None of the list is kept as content: its negations
// ("not", "don't") occur in most articles and so carry no topic.
const englishStopWords = `a about above after again against all am an and any are as at be because
been before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not of off on once only or other ought our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves cannot i'm i'd i've
i'll it's you're you've you'd you'll he's he'd he'll she's she'd she'll we're we've we'd we'll
they're they've they'd they'll isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't
didn't won't wouldn't shan't shouldn't can't couldn't mustn't let's that's who's what's here's
there's when's where's why's how's hello hi thanks thank please regards`

// russianStopWords are the words of the Snowball Russian stop list
// (snowballstem.org, BSD licence), folded (ё → е), with the pronouns and
// particles it leaves out (every form of "мой", "твой", "свой", "наш",
// "ваш", "который", "какой" and "сам", the indefinite "что-то" and
// "какой-то"), every form of "хотеть" and "мочь", with which a request says
// what it wants rather than what it is about, and the courtesies of a
// ticket ("здравствуйте", "спасибо", "пожалуйста"). A word is listed with
// all its forms: a form left out ("мою" beside "мой") would be a topic word
// whose stem matches the other forms wherever an index keeps them, in the
// words it learned from tickets above all. Decided per word, six of the
// Snowball list's words are left out of this list and stay searchable,
// because a support request turns on them: "один", "два", "три" and "раз"
// ("списали два раза"), and "человек" and "жизнь", which are topics, not
// function words.
const russianStopWords = `а без более больше будет будто будут бы был была были было быть в вам
вами вас ваш ваша ваше ваши ведь весь во вот впрочем все всегда всего всех всю вы где да даже для
до другой его ее ей ему если есть еще ж же за зачем здесь и из или им иногда их к кажется как
какая какой ко когда конечно кто куда ли либо лучше между меня мне много мое может можно мои мой
моя мы на над надо наконец нам нас наш не него нее нельзя ней нет ни нибудь никогда ним них
ничего но ну о об однако он она они оно опять от очень перед по под после потом потому почти
при про разве с сам сама само свой свою себе себя сегодня сейчас сказал сказала сказать со
совсем так также такой там тебя тем теперь то тогда того тоже той только том тот ту тут ты у уж
уже хорошо хоть хотя чего чей чем через что чтоб чтобы чуть чье чья эта эти это этого этой этом
этот эту я здравствуйте привет спасибо пожалуйста
который которая которое которые которого которой котором которому которую которых которым
какую какие каким каких какое каком какому
хочу хочешь хочет хотим хотите хотят хотел хотела хотели хотелось
могу можешь могут мог могла могли
сами самим самой самому самого
свои своих своим своей своего своему своем
мой моего моему моем моих моим наши наших нашим вашего вашей вашим ваших
моей мою моими твой твоя твое твои твоего твоей твоему твоим твоем твою твоих твоими
своя свое своими наша наше нашего нашей нашему нашем нашу нашими вашему вашем вашу вашими
которыми какого какими самом саму самих самими хотеть хотело мочь можем можете могло
куда-то где-то какой-то какая-то какое-то какие-то что-то кто-то как-то
кому чему нем ним нею ими`

// StopWords returns the built-in folded stop words of Russian and English in
// one set. Each call returns a new map that the caller may change.
func StopWords() map[string]bool {
	m := make(map[string]bool)
	for _, list := range []string{englishStopWords, russianStopWords} {
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
	}
	return m
}
